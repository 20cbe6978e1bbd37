"""Real documents made on the fly: a text PDF (hand-written PDF syntax, WinAnsi for å ä ö),
an image-only PDF, Word files made with python-docx, and hostile files."""

from __future__ import annotations

import io
import zipfile


def text_pdf(lines: list[str], title: str = "") -> bytes:
    """A one-page PDF whose page shows ``lines`` in Helvetica (text a PDF reader can extract)."""
    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    body = "BT /F1 11 Tf 50 780 Td 14 TL " + " ".join(f"({esc(x)}) '" for x in lines) + " ET"
    stream = body.encode("cp1252")
    info = f"<< /Title ({esc(title)}) >>".encode("cp1252") if title else b"<< >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        info,
    ]
    return _pdf(objects, info_obj=6)


def image_pdf() -> bytes:
    """A one-page PDF with only a (tiny grey) image on it: what a scanner makes."""
    pixels = bytes([128] * 16)
    content = b"q 200 0 0 200 50 500 cm /Im1 Do Q"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /XObject /Subtype /Image /Width 4 /Height 4 /ColorSpace /DeviceGray /BitsPerComponent 8 "
        b"/Length 16 >>\nstream\n" + pixels + b"\nendstream",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
    ]
    return _pdf(objects)


def _pdf(objects: list[bytes], info_obj: int | None = None) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    info = f" /Info {info_obj} 0 R" if info_obj else ""
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R{info} >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def docx_file(paragraphs: list[str], title: str = "") -> bytes:
    import docx

    document = docx.Document()
    if title:
        document.core_properties.title = title
        document.add_heading(title, level=1)
    for p in paragraphs:
        document.add_paragraph(p)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def zip_bomb_docx(unpacked_mb: int = 400) -> bytes:
    """A .docx whose document.xml unpacks to hundreds of MB (it packs to a few hundred kB)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w") as fh:
            chunk = b" " * (1024 * 1024)
            for _ in range(unpacked_mb):
                fh.write(chunk)
    return buf.getvalue()


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10))
    + ']>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>'
)


def entity_bomb_docx() -> bytes:
    """A real .docx whose document.xml carries the "billion laughs" entity expansion."""
    good = docx_file(["Hej"])
    src = zipfile.ZipFile(io.BytesIO(good))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            data = BILLION_LAUGHS.encode() if info.filename == "word/document.xml" else src.read(info)
            zf.writestr(info, data)
    return buf.getvalue()
