"""Where ffmpeg comes from, and running it with progress.

The system's ffmpeg when one is on PATH (kept up to date with the system), else the static
build shipped in the imageio-ffmpeg wheel (with libx264), so no install step is ever needed.
"""

import shutil
import subprocess  # nosec B404: runs ffmpeg only, argument lists and no shell
import tempfile
from functools import lru_cache

from django.conf import settings

STDERR_TAIL = 4000  # bytes of ffmpeg's error output kept for the failure reason


class FfmpegError(Exception):
    """ffmpeg exited with an error; the message is the tail of its error output."""


@lru_cache
def ffmpeg_binary():
    """The ffmpeg executable: the system's if present, else the pip-installed one."""
    found = shutil.which("ffmpeg")
    if found:
        return found
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


@lru_cache
def ffprobe_binary():
    """The system's ffprobe, or None (the pip build ships ffmpeg only; PyAV probes instead)."""
    return shutil.which("ffprobe")


def threads():
    """Threads per ffmpeg process (settings.MEDIA_FFMPEG_THREADS), for decoder, filters and
    encoder alike, so one encode never takes more cores (or memory) than the box can spare."""
    return str(settings.MEDIA_FFMPEG_THREADS)


def progress_fraction(line, duration):
    """The fraction done from one `-progress` line (`out_time_us=…`), or None for other lines."""
    key, _, value = line.strip().partition("=")
    if key != "out_time_us" or not duration or not value.lstrip("-").isdigit():
        return None
    return min(max(int(value) / 1_000_000 / duration, 0.0), 1.0)


def run(args, *, duration=None, on_progress=None):
    """Run ffmpeg with `args` (inputs, filters, outputs). Calls on_progress(fraction) as the
    output advances against `duration` (seconds). Raises FfmpegError when ffmpeg fails; if
    on_progress raises, ffmpeg is killed and the exception propagates."""
    command = [ffmpeg_binary(), "-hide_banner", "-nostdin", "-nostats", "-loglevel", "error"]
    command += ["-filter_threads", threads()]
    if on_progress:
        command += ["-progress", "pipe:1"]
    command += ["-y", *args]
    # Errors go to a file, never a pipe: a chatty ffmpeg must not block on a full pipe buffer.
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(  # nosec B603: argument list (no shell); the binary is ffmpeg_binary()
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE if on_progress else subprocess.DEVNULL,
            stderr=errors,
            text=True,
        )
        try:
            if on_progress:
                for line in process.stdout:
                    fraction = progress_fraction(line, duration)
                    if fraction is not None:
                        on_progress(fraction)
            returncode = process.wait()
        except BaseException:
            process.kill()
            process.wait()
            raise
        finally:
            if process.stdout:
                process.stdout.close()
        if returncode != 0:
            errors.seek(0, 2)
            errors.seek(max(errors.tell() - STDERR_TAIL, 0))
            tail = errors.read().decode("utf-8", "replace").strip()
            lines = [line for line in tail.splitlines() if line.strip()]
            raise FfmpegError(" / ".join(lines[-2:]) or f"exit status {returncode}")
