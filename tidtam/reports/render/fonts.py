"""The fonts tidtam renders with: Sarabun (OFL, from fontpkg-sarabun), standing in for the
"TH Sarabun New" that documents name, through a private fontconfig file.

Debian's own aliases map "TH Sarabun New" to Laksaman with a 0.66 scale, which squashes glyphs
in some renderers; a private FONTCONFIG_FILE sees only our fonts and our alias.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
from pathlib import Path

import fontpkg_sarabun

# What the documents name, so that an office's own Word uses its TH Sarabun New.
DOCUMENT_FONT = "TH Sarabun New"
# What tidtam itself draws with where TH Sarabun New is missing (it is in no registry we reach).
RENDER_FONT = "Sarabun"
# Sarabun is about 1.5 times larger than TH Sarabun New at the same point size: 16 pt of
# TH Sarabun New looks like 11 pt of Sarabun.
RENDER_SCALE = 11 / 16

FONT_DIR = Path(fontpkg_sarabun.ROOT) / "files"


def font_file(weight: str = "Regular") -> Path:
    return FONT_DIR / f"Sarabun-{weight}.ttf"


FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>{font_dir}</dir>
  <cachedir>{cache_dir}</cachedir>
  <alias binding="same"><family>{document_font}</family><prefer><family>{render_font}</family></prefer></alias>
  <alias binding="same"><family>TH SarabunPSK</family><prefer><family>{render_font}</family></prefer></alias>
  <alias><family>sans-serif</family><prefer><family>{render_font}</family></prefer></alias>
  <alias><family>serif</family><prefer><family>{render_font}</family></prefer></alias>
</fontconfig>
"""


@functools.cache
def fontconfig_file() -> Path:
    """A fontconfig file that knows only Sarabun: written once per process, reused by every
    render, and removed when the process exits (after kill -9, by `tidtam cleanup`)."""
    # The process id in the name tells `tidtam cleanup` whether its owner is still alive.
    base = Path(tempfile.mkdtemp(prefix=f"tidtam-fonts-{os.getpid()}-"))
    atexit.register(shutil.rmtree, base, ignore_errors=True)
    path = base / "fonts.conf"
    path.write_text(
        FONTS_CONF.format(
            font_dir=FONT_DIR,
            cache_dir=base / "cache",
            document_font=DOCUMENT_FONT,
            render_font=RENDER_FONT,
        ),
        encoding="utf-8",
    )
    return path
