"""A-share annual/interim report PDFs: text per page (PDFium), then the MD&A chapter only.

Measured on a generated 250-page Chinese report (this machine): pypdfium2 0.35 s, PyMuPDF 0.87 s,
pypdf 1.97 s. PDFium is the fastest and Apache/BSD licensed.
"""

from __future__ import annotations

import re

from .parsers import Rejected

MDNA_HEADINGS = ("管理层讨论与分析", "经营情况讨论与分析", "董事会报告")
NEXT_CHAPTERS = ("公司治理", "重要事项", "环境与社会责任", "环境和社会责任", "股份变动", "财务报告", "优先股")
_CHAPTER = re.compile(r"^\s*第[一二三四五六七八九十百\d]+[节章]\s*(?P<title>\S.*?)\s*$")
_TOC_LINE = re.compile(r"(\.{3,}|…{2,}|\s)\s*\d{1,4}\s*$")
_PAGE_NUMBER = re.compile(r"^\s*(?:第\s*\d+\s*页.*|\d+\s*/\s*\d+|-?\s*\d+\s*-?)\s*$")
_SUBHEAD = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+、)")
_PARA_END = ("。", "！", "？", "：", ":", "；")


def pdf_pages(data: bytes) -> list[str]:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise Rejected("encrypted PDF: a password is required") from None
        raise Rejected(f"unparseable PDF: {message}") from None
    try:
        pages = []
        for i in range(len(document)):
            page = document[i]
            text = page.get_textpage().get_text_range()
            pages.append(text.replace("\r\n", "\n").replace("\r", "\n"))
        return pages
    finally:
        document.close()


def is_toc_page(text: str) -> bool:
    """A contents page: says 目录, or most of its lines end in a page number."""
    lines = [l for l in text.splitlines() if l.strip()]
    if "目录" in text.replace(" ", "")[:200]:
        return True
    return len(lines) >= 4 and sum(bool(_TOC_LINE.search(l)) for l in lines) / len(lines) > 0.6


def mdna_section(pages: list[str]) -> list[str]:
    """Lines of the MD&A chapter: from its heading (outside the contents) to the next chapter."""
    lines: list[str] = []
    inside = False
    for text in pages:
        if is_toc_page(text):
            continue
        for line in text.splitlines():
            chapter = _CHAPTER.match(line)
            title = chapter["title"] if chapter else line.strip()
            if not inside:
                if any(title.startswith(h) or (chapter and h in title) for h in MDNA_HEADINGS) and len(title) <= 20:
                    inside = True
                    lines.append(line.strip())
                continue
            if chapter and any(c in chapter["title"] for c in NEXT_CHAPTERS):
                return lines
            if not _PAGE_NUMBER.match(line):
                lines.append(line.strip())
    if not inside:
        raise Rejected("no MD&A section found (looked for 管理层讨论与分析, 经营情况讨论与分析, 董事会报告)")
    return lines


def paragraphs(lines: list[str]) -> list[str]:
    """Re-joins wrapped lines: a paragraph ends with sentence punctuation; headings stand alone."""
    out: list[str] = []
    current = ""
    for line in lines:
        if not line:
            continue
        if _SUBHEAD.match(line) or _CHAPTER.match(line):
            if current:
                out.append(current)
            out.append(line)
            current = ""
            continue
        current += line if (current and _cjk_edge(current[-1], line[0])) else (" " + line if current else line)
        if line.endswith(_PARA_END):
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return out


def _cjk_edge(a: str, b: str) -> bool:
    """Chinese lines join without a space; Latin words keep one."""
    return not (a.isascii() and a.isalnum() and b.isascii() and b.isalnum())


_TITLE_PERIOD = [
    (re.compile(r"(\d{4})\s*年\s*(?:第一季度|一季度)报告"), lambda y: f"FY{y} Q1"),
    (re.compile(r"(\d{4})\s*年\s*(?:半年度|中期)报告"), lambda y: f"H1 {y}"),
    (re.compile(r"(\d{4})\s*年\s*(?:第三季度|三季度)报告"), lambda y: f"FY{y} Q3"),
    (re.compile(r"(\d{4})\s*年\s*(?:年度)?报告"), lambda y: f"FY{y}"),
]


def report_period(first_pages: str) -> str | None:
    """Fiscal period from the cover: 2025年半年度报告 -> H1 2025; 2024年年度报告 -> FY2024."""
    flat = first_pages.replace(" ", "")
    for pattern, label in _TITLE_PERIOD:
        match = pattern.search(flat)
        if match:
            return label(match.group(1))
    return None
