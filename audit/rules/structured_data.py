from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from audit.context import Context
from audit.rule import Code, Msg, Outcome, PageData, PageRule, Score, Severity
from audit.schema_types import RETIRED, SPECS, family
from audit.structured import SYNTAXES, Item, items, types_of
from spiders.items import PageItem

MAX_LISTED = 10
# Python's JSON messages, as the French report says them (the English report keeps them).
_JSON_FR = {
    "Expecting property name enclosed in double quotes":
        "nom de propriété entre guillemets attendu (virgule en trop ?)",
    "Expecting ',' delimiter": "virgule attendue",
    "Expecting ':' delimiter": "deux-points attendus",
    "Expecting value": "valeur attendue",
    "Extra data": "texte après la fin du JSON (deux objets sans crochets ?)",
    "Unterminated string starting at": "chaîne non fermée",
    "Invalid control character at": "caractère de contrôle (retour à la ligne ?) dans une chaîne",
    "Invalid \\escape": "barre oblique inverse invalide",
}


def json_error_fr(error: str) -> str:
    """« virgule attendue (ligne 3, colonne 5) » for "Expecting ',' delimiter (line 3,
    column 5)"; an unknown message is kept as is."""
    for en, fr in _JSON_FR.items():
        if error.startswith(en):
            where = error[len(en):].strip()
            where = where.replace("(line", "(ligne").replace("column", "colonne")
            return f"{fr} {where}".strip()
    return error


def _present(node: dict[str, Any], prop: str) -> bool:
    """One of the ``a|b`` properties has a value (not empty, not an empty list)."""
    for name in prop.split("|"):
        value = node.get(name)
        if isinstance(value, str) and value.strip():
            return True
        if isinstance(value, int | float) and not isinstance(value, bool):
            return True
        if isinstance(value, dict | list) and value:
            return True
    return False


def _label(prop: str) -> Msg:
    names = prop.split("|")
    if len(names) == 1:
        return Msg(prop, prop)
    return Msg(" ou ".join(names), " or ".join(names))


def check_node(spec_key: str, node: dict[str, Any], path: str = ""
               ) -> tuple[list[str], list[str]]:
    """(required, recommended) properties missing from ``node`` for the table ``spec_key``,
    nested values included (``offers.price``), each named by its path."""
    spec = SPECS[spec_key]
    def named(prop: str) -> str:  # offers.price|offers.lowPrice: each choice by its path
        return "|".join(path + p for p in prop.split("|"))

    missing_required = [named(p) for p in spec.required if not _present(node, p)]
    missing_recommended = [named(p) for p in spec.recommended if not _present(node, p)]
    for prop, child_key in spec.nested.items():
        value = node.get(prop)
        for child in value if isinstance(value, list) else [value]:
            if isinstance(child, dict):
                req, rec = check_node(child_key, child, f"{path}{prop}.")
                missing_required += [r for r in req if r not in missing_required]
                missing_recommended += [r for r in rec if r not in missing_recommended]
    if spec_key == "BreadcrumbList":
        elements = node.get("itemListElement")
        elements = elements if isinstance(elements, list) else [elements]
        listed = [e for e in elements if isinstance(e, dict)]
        for i, element in enumerate(listed):
            req, _rec = check_node("ListItem", element, f"{path}itemListElement.")
            # « item » may be left out of the last ListItem only (the current page).
            if i < len(listed) - 1 and not _present(element, "item"):
                req.append(f"{path}itemListElement.item")
            missing_required += [r for r in req if r not in missing_required]
    return missing_required, missing_recommended


def _where(item: Item) -> Msg:
    syntax = SYNTAXES[item.syntax]
    if item.syntax == "json-ld":
        return Msg(f"{syntax}, bloc {item.block}", f"{syntax}, block {item.block}")
    return Msg(syntax, syntax)


class StructuredData(PageRule):
    """The page's structured data (JSON-LD, microdata, RDFa) is readable and complete for
    the rich results Google shows.

    **Why it matters**: schema.org markup gives Google the facts behind rich results —
    a business's address and opening hours, a product's price and stars, an event's date,
    a breadcrumb in place of the URL — and feeds the knowledge panel. A JSON-LD block with
    a syntax error is ignored whole; an item without a required property is not eligible
    for its rich result (Google Search Console reports it as an error); a recommended one
    missing makes a poorer result.

    **Bad**: a ``LocalBusiness`` without ``address``; a ``Product`` with neither
    ``offers``, ``review`` nor ``aggregateRating``; ``{"@type": "Article", "headline":
    "…",}`` (trailing comma: invalid JSON); a JSON-LD block without ``@context``.

    **Good**: ``{"@context": "https://schema.org", "@type": "LocalBusiness", "name":
    "Agence Clairvoyance", "address": {"@type": "PostalAddress", "streetAddress": "…",
    "addressLocality": "Lyon", "postalCode": "69002", "addressCountry": "FR"},
    "telephone": "…", "url": "…"}``.

    Checked types and properties: audit/schema_types.py (Organization, LocalBusiness and
    its subtypes, Article/BlogPosting/NewsArticle, BreadcrumbList, Product with offers,
    review and aggregateRating, Event), from Google Search Central's documentation.
    FAQPage and HowTo are a notice: Google retired those rich results for most sites in
    2023 (the markup is harmless, the effort no longer pays). Other types are listed in
    the Pages sheet and not judged. Pages without structured data are not scored (nothing
    obliges a page to carry any); others score from their worst finding. The ``sameAs``
    profiles of Organization, LocalBusiness and Person items count for ``social-profiles``.
    """

    id = "structured-data"
    category = "seo"
    weight = 1.0
    title = Msg("Données structurées valides et complètes", "Structured data valid and complete")
    description = Msg(
        "Lit le JSON-LD, les microdonnées et le RDFa : erreurs de syntaxe, propriétés "
        "requises et recommandées des résultats enrichis de Google, types retirés (FAQ, "
        "HowTo).",
        "Reads JSON-LD, microdata and RDFa: syntax errors, required and recommended "
        "properties of Google's rich results, retired types (FAQ, HowTo).")
    why = Msg(
        "Les données structurées schema.org donnent à Google les faits des résultats enrichis "
        "(adresse et horaires, prix et étoiles, date d’un événement, fil d’Ariane). Un bloc "
        "JSON-LD mal formé est ignoré en entier, un élément sans propriété requise n’a pas "
        "droit à son résultat enrichi.",
        "schema.org structured data gives Google the facts behind rich results (address and "
        "hours, price and stars, an event's date, breadcrumbs). A malformed JSON-LD block is "
        "ignored whole; an item without a required property is not eligible for its rich "
        "result.")
    fix = Msg(
        "Corrigez la syntaxe des blocs JSON-LD (virgules, guillemets), ouvrez-les par "
        "\"@context\": \"https://schema.org\" et ajoutez les propriétés requises puis "
        "recommandées de chaque type (address pour un LocalBusiness, offers pour un Product…).",
        "Fix the JSON-LD syntax (commas, quotes), open each block with \"@context\": "
        "\"https://schema.org\" and add each type's required, then recommended properties "
        "(address for a LocalBusiness, offers for a Product…).")
    codes = {
        "json-ld-syntax": Code(Severity.WARNING, Msg("Bloc JSON-LD illisible (syntaxe)",
                                                     "Unreadable JSON-LD block (syntax)")),
        "no-context": Code(Severity.WARNING, Msg("JSON-LD sans @context schema.org",
                                                 "JSON-LD without a schema.org @context")),
        "missing-required": Code(Severity.WARNING, Msg(
            "Propriété requise manquante (résultat enrichi)",
            "Required property missing (rich result)")),
        "missing-recommended": Code(Severity.NOTICE, Msg(
            "Propriété recommandée manquante", "Recommended property missing")),
        "retired-type": Code(Severity.NOTICE, Msg("Résultat enrichi retiré par Google (FAQ, "
                                                  "HowTo)", "Rich result retired by Google "
                                                  "(FAQ, HowTo)")),
    }
    columns = {"structured_data": Msg("Données structurées", "Structured data")}

    def check(self, page: PageItem, ctx: Context) -> Iterator[Outcome]:
        ranks = script_ranks(page)
        found = [i._replace(block=ranks[i.block - 1]) if i.syntax == "json-ld" else i
                 for i in items(page)]
        blocks = {r: b for r, b in zip(ranks, page.json_ld, strict=True)}
        if not found and not page.json_ld_errors:
            yield Score(page.url, None)  # nothing declared, nothing to judge
            return
        types: list[str] = []
        for item in found:
            for t in types_of(item.node):
                if t not in types:
                    types.append(t)
        yield PageData(page.url, "structured_data", ", ".join(types))
        if page.json_ld_errors:
            yield self._syntax(page)
        no_context = sorted({i.block for i in found if i.syntax == "json-ld"
                             and not _has_context(blocks[i.block])})
        if no_context:
            listed = ", ".join(str(b) for b in no_context)
            yield self.finding(page.url, "no-context", Msg(
                f"Bloc(s) JSON-LD n° {listed} sans « \"@context\": \"https://schema.org\" » : "
                "Google ne sait pas quel vocabulaire lire et ignore le bloc.",
                f"JSON-LD block(s) no. {listed} without \"@context\": \"https://schema.org\": "
                "Google cannot tell which vocabulary to read and ignores the block."),
                evidence=json.dumps(blocks[no_context[0]], ensure_ascii=False)[:200])
        required: list[tuple[Msg, str, list[str]]] = []
        recommended: list[tuple[Msg, str, list[str]]] = []
        retired: list[str] = []
        for item in found:
            for t in types_of(item.node):
                if t in RETIRED and t not in retired:
                    retired.append(t)
                key = family(t)
                if not key:
                    continue
                req, rec = check_node(key, item.node)
                if req:
                    required.append((_where(item), t, req))
                if rec:
                    recommended.append((_where(item), t, rec))
                break  # one table per item (["LocalBusiness", "Organization"]: the first)
        if required:
            yield self._missing("missing-required", page.url, required)
        if recommended:
            yield self._missing("missing-recommended", page.url, recommended)
        if retired:
            names = ", ".join(retired)
            yield self.finding(page.url, "retired-type", Msg(
                f"Balisage {names} : Google ne montre plus ces résultats enrichis pour la "
                "plupart des sites depuis 2023 (FAQ réservée aux sites officiels et de santé, "
                "HowTo supprimé). Inutile d’en ajouter ; celui-ci ne nuit pas.",
                f"{names} markup: Google no longer shows these rich results for most sites "
                "since 2023 (FAQ kept for government and health sites, HowTo removed). No "
                "need to add more; this one does no harm."), evidence=names)

    def _syntax(self, page: PageItem) -> Outcome:
        errors = page.json_ld_errors
        fr_lines, en_lines = [], []
        for e in errors[:MAX_LISTED]:
            excerpt = f" — « {e['excerpt']} »" if e.get("excerpt") else ""
            fr_lines.append(f"bloc {e['block']} (ligne {e['line']} du HTML) : "
                            f"{json_error_fr(e['error'])}{excerpt}")
            en_lines.append(f"block {e['block']} (line {e['line']} of the HTML): "
                            f"{e['error']}{excerpt}")
        first = errors[0]
        n, b, line = len(errors), first["block"], first["line"]
        fr_err, en_err = json_error_fr(first["error"]), first["error"]
        if n == 1:
            message = Msg(
                f"Bloc JSON-LD illisible, ignoré en entier par Google : bloc {b}, ligne {line} "
                f"du HTML — {fr_err}.",
                f"Unreadable JSON-LD block, ignored whole by Google: block {b}, line {line} of "
                f"the HTML — {en_err}.")
        else:
            message = Msg(
                f"{n} blocs JSON-LD illisibles, ignorés en entier par Google ; le premier : "
                f"bloc {b}, ligne {line} du HTML — {fr_err}.",
                f"{n} unreadable JSON-LD blocks, ignored whole by Google; the first: block "
                f"{b}, line {line} of the HTML — {en_err}.")
        return self.finding(page.url, "json-ld-syntax", message,
                            evidence=Msg("\n".join(fr_lines), "\n".join(en_lines)))

    def _missing(self, code: str, url: str, missing: list[tuple[Msg, str, list[str]]]
                 ) -> Outcome:
        fr = " ; ".join(f"{t} sans {', '.join(_label(p).fr for p in props)}"
                        for _w, t, props in missing[:MAX_LISTED])
        en = "; ".join(f"{t} without {', '.join(_label(p).en for p in props)}"
                       for _w, t, props in missing[:MAX_LISTED])
        evidence = Msg(
            "\n".join(f"{t} ({w.fr}) : {', '.join(_label(p).fr for p in props)}"
                      for w, t, props in missing),
            "\n".join(f"{t} ({w.en}): {', '.join(_label(p).en for p in props)}"
                      for w, t, props in missing))
        if code == "missing-required":
            message = Msg(f"Propriété requise manquante, pas de résultat enrichi : {fr}.",
                          f"Required property missing, no rich result: {en}.")
        else:
            message = Msg(f"Propriété recommandée par Google manquante : {fr}.",
                          f"Property recommended by Google missing: {en}.")
        return self.finding(url, code, message, evidence=evidence)


def _has_context(block: Any) -> bool:
    """Each node of the block names schema.org as its vocabulary (its ``@context``, or a
    fully qualified ``@type``: https://schema.org/Product)."""
    for node in block if isinstance(block, list) else [block]:
        if not isinstance(node, dict):
            continue
        context = node.get("@context")
        if context and "schema.org" in json.dumps(context):
            continue
        if "schema.org" in str(node.get("@type", "")):
            continue
        return False
    return True


def script_ranks(page: PageItem) -> list[int]:
    """The rank among the page's JSON-LD ``<script>`` elements of each parsed block
    (``page.json_ld``), the broken ones (``json_ld_errors``) taking their places."""
    broken = {e.get("block") for e in page.json_ld_errors}
    ranks, rank = [], 0
    for _ in page.json_ld:
        rank += 1
        while rank in broken:
            rank += 1
        ranks.append(rank)
    return ranks
