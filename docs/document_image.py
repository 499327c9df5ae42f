"""Pages of a generated report as a PNG for the README (docs/img/), the way a reader prints it.

    .venv/bin/python docs/document_image.py monthly --pages 1,2   # the latest 月通报

The report's Word file is converted by LibreOffice (soffice, libreoffice-writer-nogui) to PDF
and the pages by pdftoppm (poppler-utils) to images, set side by side. docs/fonts.conf maps the
fonts GB/T 9704 names to free look-alikes (fonts-noto-cjk, fonts-arphic-gkai00mp).
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["weekly", "monthly", "quarterly"])
    parser.add_argument("--pages", default="1,2", help="page numbers, e.g. 1,2")
    parser.add_argument("--out", default=None, help="PNG path (default docs/img/<kind>-docx.png)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baozhaofang.settings")
    django.setup()
    from PIL import Image

    from dispatch.models import Report
    from dispatch.reports.document import report_docx

    report = Report.objects.filter(kind=args.kind).order_by("-period_start").first()
    if report is None:
        sys.exit(f"no {args.kind} report in the database: generate one first")
    out = Path(args.out or ROOT / "docs" / "img" / f"{args.kind}-docx.png")
    env = {**os.environ, "FONTCONFIG_FILE": str(ROOT / "docs" / "fonts.conf")}
    with tempfile.TemporaryDirectory() as tmp:
        docx = Path(tmp) / "report.docx"
        docx.write_bytes(report_docx(report))
        profile = f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}"
        convert = ["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", tmp]
        subprocess.run([*convert, str(docx)], check=True, env=env, capture_output=True)  # noqa: S603
        images = []
        for page in (int(p) for p in args.pages.split(",")):
            prefix = Path(tmp) / f"page{page}"
            pages = ["-f", str(page), "-l", str(page), "-singlefile"]
            render = ["pdftoppm", "-r", "80", "-png", *pages, str(Path(tmp) / "report.pdf")]
            subprocess.run([*render, str(prefix)], check=True)  # noqa: S603
            images.append(Image.open(f"{prefix}.png"))
        gap = 16
        sheet = Image.new(
            "RGB",
            (sum(i.width for i in images) + gap * (len(images) + 1), images[0].height + 2 * gap),
            "#d0d4da",
        )
        x = gap
        for image in images:
            sheet.paste(image, (x, gap))
            x += image.width + gap
        sheet.save(out, optimize=True)
    print(out)


if __name__ == "__main__":
    main()
