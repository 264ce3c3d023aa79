"""Rewriting the pipeline's HLS playlists: each URI line replaced, everything else kept.

The pipeline writes URIs relative to the playlist (master: "360p/index.m3u8"; variant:
"seg_00000.ts"); no URI sits inside a tag (MPEG-TS segments have no EXT-X-MAP).
"""

import posixpath
import re

EXTINF = re.compile(r"^#EXTINF:([0-9.]+)")
SAFE_RELATIVE = re.compile(r"^(?:[A-Za-z0-9_-]+/)?[A-Za-z0-9_-]+\.(?:m3u8|ts)$")


class PlaylistError(ValueError):
    """A URI the pipeline never writes (absolute, or leaving the rendition folder)."""


def rewrite(text, playlist_name, uri_for):
    """The playlist with each URI line replaced by uri_for(stored name, start seconds), where
    the start is the sum of the EXTINF durations before that line (0 in a master playlist)."""
    folder = posixpath.dirname(playlist_name)
    lines, start, duration = [], 0.0, 0.0
    for line in text.splitlines():
        stripped = line.strip()
        match = EXTINF.match(stripped)
        if match:
            duration = float(match.group(1))
        elif stripped and not stripped.startswith("#"):
            if not SAFE_RELATIVE.match(stripped):
                raise PlaylistError(stripped)
            line = uri_for(posixpath.join(folder, stripped), start)
            start += duration
            duration = 0.0
        lines.append(line)
    return "\n".join(lines) + "\n"
