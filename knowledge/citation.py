"""Citation text of a document, APA-like, in Thai and in English (pure functions, no queries).

Thai references give the Buddhist Era year (พ.ศ.) and "สืบค้นจาก"; English ones the Common Era
year and "Retrieved from". Missing parts are left out rather than invented.
"""

from units.thai import BE_OFFSET


def _authors(document) -> str:
    return (document.authors or document.source or "").strip().rstrip(".")


def _citation(document, *, year: str, retrieved: str) -> str:
    """Authors. (year). Title. Source. `retrieved` (the "retrieved from URL" part)."""
    authors = _authors(document)
    parts = [f"{authors}." if authors else "", f"({year}).", f"{document.title}."]
    if document.source and document.source != authors:
        parts.append(f"{document.source}.")
    parts.append(retrieved)
    return " ".join(part for part in parts if part)


def citation_th(document, url: str) -> str:
    """ผู้แต่ง. (พ.ศ.). ชื่อเรื่อง. แหล่งที่มา. สืบค้นจาก URL"""
    year = str(document.year) if document.year else "ม.ป.ป."
    return _citation(document, year=year, retrieved=f"สืบค้นจาก {url}")


def citation_en(document, url: str) -> str:
    """Author. (Year CE). Title. Source. Retrieved from URL"""
    year = str(document.year - BE_OFFSET) if document.year else "n.d."
    return _citation(document, year=year, retrieved=f"Retrieved from {url}")
