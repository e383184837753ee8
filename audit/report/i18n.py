"""Fixed labels of the workbook in the two report languages (finding texts come as Msg)."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    # sheet names (Excel: at most 31 characters, none of []:*?/\)
    "sheet_summary": {"fr": "Synthèse", "en": "Summary"},
    "sheet_pages": {"fr": "Pages", "en": "Pages"},
    "sheet_findings": {"fr": "Constats", "en": "Findings"},
    "sheet_rules": {"fr": "Règles", "en": "Rules"},
    "sheet_backlinks": {"fr": "Backlinks", "en": "Backlinks"},
    # summary
    "title": {"fr": "Audit SEO / SEA / SMO — {client}", "en": "Audit SEO / SEA / SMO — {client}"},
    "sec_overview": {"fr": "Informations", "en": "Overview"},
    "client": {"fr": "Client", "en": "Client"},
    "date": {"fr": "Date de l’audit", "en": "Audit date"},
    "date_format": {"fr": "DD/MM/YYYY", "en": "YYYY-MM-DD"},
    "start_urls": {"fr": "URL de départ", "en": "Start URL"},
    "pages_crawled": {"fr": "Pages explorées", "en": "Pages crawled"},
    "html_pages": {"fr": "Pages HTML (réponse 2xx)", "en": "HTML pages (2xx response)"},
    "crawl_time": {"fr": "Durée de l’exploration", "en": "Crawl duration"},
    "tool_version": {"fr": "Version de l’outil", "en": "Tool version"},
    "sec_scores": {"fr": "Scores", "en": "Scores"},
    "score_out_of": {"fr": "Score sur 100", "en": "Score out of 100"},
    "no_data": {"fr": "pas de données", "en": "no data"},
    "weight_configured": {"fr": "Poids configuré", "en": "Configured weight"},
    "weight_used": {"fr": "Poids appliqué", "en": "Weight applied"},
    "weights_note": {
        "fr": "Une catégorie sans données est exclue du score SEM ; "
              "les poids des autres catégories sont renormalisés.",
        "en": "A category without data is left out of the SEM score; "
              "the weights of the other categories are renormalised.",
    },
    "sec_findings": {"fr": "Constats par gravité", "en": "Findings by severity"},
    "count_error": {"fr": "Erreurs", "en": "Errors"},
    "count_warning": {"fr": "Avertissements", "en": "Warnings"},
    "count_notice": {"fr": "Remarques", "en": "Notices"},
    "count_total": {"fr": "Total", "en": "Total"},
    "rule_failures": {
        "fr": "⚠ {n} échec(s) d’exécution de règle : les résultats des pages concernées "
              "sont incomplets (code « rule-failed » dans la feuille Constats).",
        "en": "⚠ {n} rule failure(s) during the audit: results are incomplete for the "
              "pages concerned (code “rule-failed” in the Findings sheet).",
    },
    "sec_top": {"fr": "Principaux problèmes", "en": "Top issues"},
    "no_issues": {"fr": "Aucun problème relevé.", "en": "No issue found."},
    "rank": {"fr": "N°", "en": "#"},
    "issue": {"fr": "Problème", "en": "Issue"},
    "impact": {"fr": "Impact", "en": "Impact"},
    "sec_notes": {"fr": "Notes", "en": "Notes"},
    "sec_backlinks": {"fr": "Backlinks (liens depuis d’autres sites)",
                      "en": "Backlinks (links from other sites)"},
    "bl_domains": {"fr": "Domaines référents", "en": "Referring domains"},
    "bl_links": {"fr": "Liens attendus", "en": "Expected links"},
    "bl_live": {"fr": "Liens actifs", "en": "Live links"},
    "bl_lost": {"fr": "Liens perdus", "en": "Lost links"},
    "bl_not_checked": {"fr": "Non vérifiés", "en": "Not checked"},
    "bl_follow_share": {"fr": "Part des liens suivis (follow)", "en": "Followed share"},
    "bl_anchors": {"fr": "Ancres les plus fréquentes", "en": "Most frequent anchors"},
    "sec_smo": {"fr": "Réseaux sociaux (SMO)", "en": "Social networks (SMO)"},
    "smo_networks": {"fr": "Réseaux déclarés / reliés au site",
                     "en": "Networks declared / linked"},
    "smo_active": {"fr": "Réseaux actifs / mesurés", "en": "Active networks / measured"},
    "smo_og": {"fr": "Pages à l’Open Graph complet", "en": "Pages with complete Open Graph"},
    "smo_of": {"fr": "{a} / {b}", "en": "{a} / {b}"},
    "network": {"fr": "Réseau", "en": "Network"},
    "linked": {"fr": "Relié", "en": "Linked"},
    "last_post": {"fr": "Dernier post", "en": "Last post"},
    "per_month": {"fr": "Posts / mois", "en": "Posts / month"},
    "activity": {"fr": "Activité", "en": "Activity"},
    "act_active": {"fr": "actif", "en": "active"},
    "act_inactive": {"fr": "inactif", "en": "inactive"},
    "act_unknown": {"fr": "inconnue", "en": "unknown"},
    "not_declared": {"fr": "{n} (non déclaré)", "en": "{n} (not declared)"},
    "bl_see_sheet": {"fr": "Détail lien par lien : feuille Backlinks.",
                     "en": "Link by link: Backlinks sheet."},
    "links_capped": {
        "fr": "Feuille {sheet} : seules les {n} premières URL sont cliquables "
              "(limite d’Excel sur le nombre de liens par feuille).",
        "en": "{sheet} sheet: only the first {n} URLs are clickable "
              "(Excel limits the number of links per sheet).",
    },
    "chart_title": {"fr": "Scores par catégorie (sur 100)",
                    "en": "Scores by category (out of 100)"},
    # severities
    "sev_error": {"fr": "erreur", "en": "error"},
    "sev_warning": {"fr": "avertissement", "en": "warning"},
    "sev_notice": {"fr": "remarque", "en": "notice"},
    # column headers
    "url": {"fr": "URL", "en": "URL"},
    "status": {"fr": "Statut", "en": "Status"},
    "score": {"fr": "Score", "en": "Score"},
    "page_title": {"fr": "Titre", "en": "Title"},
    "words": {"fr": "Mots", "en": "Words"},
    "depth": {"fr": "Profondeur", "en": "Depth"},
    "inlinks": {"fr": "Liens entrants", "en": "Inlinks"},
    "pagerank": {"fr": "PageRank interne (max 100)", "en": "Internal PageRank (max 100)"},
    "response_ms": {"fr": "Temps de réponse (ms)", "en": "Response time (ms)"},
    "content_type": {"fr": "Type de contenu", "en": "Content type"},
    "redirect_to": {"fr": "Redirigée vers", "en": "Redirects to"},
    "error": {"fr": "Erreur", "en": "Error"},
    "rule": {"fr": "Règle", "en": "Rule"},
    "severity": {"fr": "Gravité", "en": "Severity"},
    "message": {"fr": "Message", "en": "Message"},
    "evidence": {"fr": "Élément relevé", "en": "Evidence"},
    "related": {"fr": "URL liées", "en": "Related URLs"},
    "category": {"fr": "Catégorie", "en": "Category"},
    "rule_title": {"fr": "Intitulé", "en": "Title"},
    "description": {"fr": "Description", "en": "Description"},
    "weight": {"fr": "Poids", "en": "Weight"},
    "enabled": {"fr": "Activée", "en": "Enabled"},
    "site_score": {"fr": "Score du site", "en": "Site score"},
    "pages_scored": {"fr": "Pages notées", "en": "Pages scored"},
    "findings": {"fr": "Constats", "en": "Findings"},
    "pages": {"fr": "Pages", "en": "Pages"},
    # backlinks sheet
    "referring_page": {"fr": "Page référente", "en": "Referring page"},
    "domain": {"fr": "Domaine", "en": "Domain"},
    "expected_target": {"fr": "Cible attendue", "en": "Expected target"},
    "found_target": {"fr": "Lien trouvé vers", "en": "Link found to"},
    "anchor": {"fr": "Ancre", "en": "Anchor"},
    "expected_anchor": {"fr": "Ancre attendue", "en": "Expected anchor"},
    "bl_state": {"fr": "État", "en": "State"},
    "bl_live_state": {"fr": "actif", "en": "live"},
    "follow": {"fr": "Suivi (follow)", "en": "Followed"},
    "page_status": {"fr": "Statut de la page référente", "en": "Referring page status"},
    "origin": {"fr": "Source", "en": "Source"},
    "yes": {"fr": "oui", "en": "yes"},
    "no": {"fr": "non", "en": "no"},
    "more": {"fr": "… (+{n})", "en": "… (+{n})"},
}


def label(key: str, lang: str, **values: object) -> str:
    """The label ``key`` in ``lang`` (English for any other language), formatted with ``values``."""
    entry = LABELS[key]
    text = entry.get(lang, entry["en"])
    return text.format(**values) if values else text
