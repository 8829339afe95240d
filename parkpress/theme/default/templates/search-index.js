{# The search index as a classic script (see parkpress/search.py); built from the documents when this file is rendered. #}
{{ docs|search_index(locale)|safe }}