"""schema.org JSON-LD for each page: breadcrumbs, news articles, parks.

A news article or page that exists in several languages says which is the original: the
original's node lists its translations (``workTranslation``), each translation names the
original (``translationOfWork``), all by ``@id`` (the page's URL and ``#article`` or ``#page``).
Parks are schema.org Places, not creative works: their pages say nothing of the kind.
"""

from __future__ import annotations

from parkpress.site.urls import THEME_ICON, Urls


def for_page(template: str, context: dict, urls: Urls) -> dict:
    language = context["language"]
    graph = [_breadcrumbs(context["crumbs"], urls)] if context["crumbs"] else []
    url = urls.absolute(context["page_path"])
    if template == "news.html":
        graph.append(_translated(_article(context, url, language, urls), context, urls, "#article"))
    elif template == "park.html":
        graph.extend(_park(context, url, language))
    elif template == "parks.html":
        graph.append(_dataset(context, url, language, urls))
    elif template == "home.html":
        graph.append(_website(context, url, language, urls))
    else:
        page = {"@type": "WebPage", "name": context.get("title") or language.title, "url": url, "inLanguage": language.hreflang}
        graph.append(_translated(page, context, urls, "#page"))
    return {"@context": "https://schema.org", "@graph": graph}


def _translated(node: dict, context: dict, urls: Urls, fragment: str) -> dict:
    """``node`` with its @id and, for an item in several languages, which is the original."""
    original = context.get("original")
    if original is None:
        return node
    node = {"@id": node["url"] + fragment, **node}
    if original["source"] is None:
        node["workTranslation"] = [{"@id": urls.absolute(path) + fragment} for path in original["translations"]]
    else:
        node["translationOfWork"] = {"@id": urls.absolute(original["source"]) + fragment}
    return node


def _breadcrumbs(crumbs, urls: Urls) -> dict:
    items = [{"@type": "ListItem", "position": i, "name": str(c.label), "item": urls.absolute(c.path)} for i, c in enumerate(crumbs, 1)]
    return {"@type": "BreadcrumbList", "itemListElement": items}


def _article(context: dict, url: str, language, urls: Urls) -> dict:
    item, source = context["item"], context["news_source"]
    article = {
        "@type": "NewsArticle",
        "headline": item.title,
        "description": item.summary,
        "datePublished": item.released.isoformat(),
        "dateModified": item.updated.isoformat(),
        "inLanguage": language.hreflang,
        "url": url,
        "mainEntityOfPage": url,
        "author": {"@type": "Organization", "name": source.label},
        "publisher": {
            "@type": "Organization",
            "name": language.title,
            "url": urls.absolute(urls.home(language.code)),
            "logo": {"@type": "ImageObject", "url": urls.absolute(THEME_ICON)},
        },
        "about": [{"@type": "Place", "name": p.label} for p in item.parks],
        # The item's own picture, else the site's: search engines show an article with an image.
        "image": urls.absolute(context["share_image"]),
    }
    if source.path:
        article["isBasedOn"] = source.path
    return article


_FORMATS = {".csv": "text/csv", ".json": "application/json"}


def _dataset(context: dict, url: str, language, urls: Urls) -> dict:
    """The directory offers the open data files: described as a schema.org Dataset."""
    files = context["data_files"]
    return {
        "@type": "Dataset",
        "name": context["title"],
        "description": context["data_description"],
        "url": url,
        "inLanguage": language.hreflang,
        "isAccessibleForFree": True,
        "distribution": [
            {"@type": "DataDownload", "name": name, "contentUrl": urls.absolute(path), "encodingFormat": _FORMATS[name[name.rindex(".") :]]}
            for name, path in sorted(files.items())
        ],
    }


def _website(context: dict, url: str, language, urls: Urls) -> dict:
    """The home page names the site and its search, so search engines can offer it."""
    return {
        "@type": "WebSite",
        "name": language.title,
        "url": url,
        "inLanguage": language.hreflang,
        "potentialAction": {
            "@type": "SearchAction",
            "target": urls.absolute(context["search"]) + "?q={search_term_string}",
            "query-input": "required name=search_term_string",
        },
    }


def _park(context: dict, url: str, language) -> list[dict]:
    facts, card = context["facts"], context["park"]
    address = {"@type": "PostalAddress", "addressRegion": facts.province, "addressLocality": facts.city, "addressCountry": "CN"}
    place = {
        "@type": "Place",
        "@id": url + "#park",
        "name": card.title,
        "alternateName": facts.name,
        "description": card.summary,
        "url": url,
        "address": address,
    }
    graph = [place]
    contact = context.get("contact")
    if contact is not None:
        office = {"@type": "GovernmentOrganization", "name": str(contact.office or card.title), "location": {"@id": url + "#park"}}
        if contact.email:
            office["email"] = contact.email
        if contact.phone:
            office["telephone"] = contact.phone
        if contact.address:
            office["address"] = str(contact.address)
        graph.append(office)
    return graph


def for_chooser(config, urls: Urls) -> dict:
    """The root page that leads to each language's home: the site as a whole, in all its languages."""
    default = config.language(config.default_language)
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": default.title,
        "url": urls.absolute("index.html"),
        "inLanguage": [language.hreflang for language in config.languages],
        "hasPart": [
            {"@type": "WebSite", "name": language.title, "url": urls.absolute(urls.home(language.code)), "inLanguage": language.hreflang}
            for language in config.languages
        ],
    }
