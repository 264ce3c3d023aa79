"""The encoding ladder's rules, locating ffmpeg, and probing (PyAV here; ffprobe when present)."""

import shutil
from fractions import Fraction

import pytest

from media_pipeline import ffmpeg, probe, profiles
from media_pipeline.errors import ProcessingError


def names(rungs):
    return [(rung.name, rung.short_side) for rung in rungs]


@pytest.mark.parametrize(
    ("width", "height", "expected"),
    [
        (1920, 1080, [("360p", 360), ("720p", 720), ("1080p", 1080)]),
        (3840, 2160, [("360p", 360), ("720p", 720), ("1080p", 1080)]),
        (1280, 720, [("360p", 360), ("720p", 720)]),
        (720, 1280, [("360p", 360), ("720p", 720)]),  # portrait: named by the short side
        (854, 480, [("360p", 360)]),  # 480p: the next rung would be an upscale
        (720, 576, [("360p", 360)]),
        (320, 180, [("180p", 180)]),  # below the ladder: one rung at its own size
        (321, 179, [("178p", 178)]),  # even sizes only
    ],
)
def test_ladder_never_upscales(width, height, expected):
    assert names(profiles.ladder_for(width, height)) == expected


def test_ladder_keeps_the_editors_choice_within_what_fits():
    assert names(profiles.ladder_for(1920, 1080, ["720p"])) == [("720p", 720)]
    assert names(profiles.ladder_for(1920, 1080, ["360p", "1080p"])) == [
        ("360p", 360),
        ("1080p", 1080),
    ]
    # Only rungs larger than the source chosen: the largest that fits instead.
    assert names(profiles.ladder_for(1280, 720, ["1080p"])) == [("720p", 720)]


def test_ladder_bit_rates_are_capped_as_documented():
    assert [(r.name, r.maxrate_kbps, r.bufsize_kbps) for r in profiles.LADDER] == [
        ("360p", 500, 1000),
        ("720p", 2500, 5000),
        ("1080p", 4500, 9000),
    ]


@pytest.mark.parametrize(
    ("source", "output", "gop"),
    [
        (Fraction(60), Fraction(30), 60),
        (Fraction(50), Fraction(30), 60),
        (Fraction(25), Fraction(25), 50),
        (Fraction(30000, 1001), Fraction(30000, 1001), 60),
        (Fraction(15), Fraction(15), 30),
        (None, Fraction(30), 60),
    ],
)
def test_frame_rate_is_kept_up_to_30_and_keyframes_come_every_2_seconds(source, output, gop):
    assert profiles.output_frame_rate(source) == output
    assert profiles.keyframe_interval(output) == gop


def test_ffmpeg_from_the_system_when_present_else_from_pip(monkeypatch, tmp_path):
    import imageio_ffmpeg

    ffmpeg.ffmpeg_binary.cache_clear()
    try:
        monkeypatch.setattr(shutil, "which", lambda name: f"/opt/bin/{name}")
        assert ffmpeg.ffmpeg_binary() == "/opt/bin/ffmpeg"
        ffmpeg.ffmpeg_binary.cache_clear()
        monkeypatch.setattr(shutil, "which", lambda name: None)
        assert ffmpeg.ffmpeg_binary() == imageio_ffmpeg.get_ffmpeg_exe()
    finally:
        ffmpeg.ffmpeg_binary.cache_clear()
        monkeypatch.undo()


def test_progress_lines_of_ffmpeg():
    assert ffmpeg.progress_fraction("out_time_us=2500000\n", 10) == 0.25
    assert ffmpeg.progress_fraction("out_time_us=12000000", 10) == 1.0
    assert ffmpeg.progress_fraction("out_time_us=N/A", 10) is None
    assert ffmpeg.progress_fraction("frame=12", 10) is None
    assert ffmpeg.progress_fraction("out_time_us=100", None) is None


def test_ffmpeg_failure_raises_with_its_message(tmp_path):
    with pytest.raises(ffmpeg.FfmpegError, match="No such file"):
        ffmpeg.run(["-i", str(tmp_path / "missing.mp4"), str(tmp_path / "out.mp4")])


def test_probe_of_a_video_with_sound(clips):
    found = probe.probe(clips["hd"])
    assert (found.width, found.height, found.frame_rate) == (1280, 720, 30)
    assert (found.video_codec, found.audio_codec) == ("h264", "aac")
    assert found.has_video and found.has_audio
    assert found.duration == pytest.approx(10, abs=0.05)
    assert found.bitrate > 0


def test_probe_of_audio_only(clips):
    found = probe.probe(clips["tone"])
    assert (found.has_video, found.has_audio, found.audio_codec) == (False, True, "mp3")
    assert found.width is None and found.frame_rate is None
    assert found.duration == pytest.approx(3, abs=0.1)


@pytest.mark.parametrize(
    "content", [b"", b"#!/bin/sh\necho hi\n", b"\x7fELF\x02\x01\x01" + bytes(600)]
)
def test_probe_refuses_what_is_not_media(tmp_path, content):
    path = tmp_path / "video.mp4"
    path.write_bytes(content)
    with pytest.raises(ProcessingError, match="无法识别的媒体文件"):
        probe.probe(path)


def test_ffprobe_json_is_read_like_pyav():
    """The fields ffprobe prints, including cover art (not video) and unknown values."""
    found = probe.from_ffprobe_json(
        {
            "streams": [
                {
                    "index": 0,
                    "codec_type": "video",
                    "codec_name": "mjpeg",
                    "width": 600,
                    "height": 600,
                    "avg_frame_rate": "0/0",
                    "r_frame_rate": "90000/1",
                    "disposition": {"attached_pic": 1},
                },
                {"index": 1, "codec_type": "audio", "codec_name": "mp3"},
                {
                    "index": 2,
                    "codec_type": "video",
                    "codec_name": "h264",
                    "width": 1920,
                    "height": 1080,
                    "avg_frame_rate": "0/0",
                    "r_frame_rate": "30000/1001",
                    "disposition": {"attached_pic": 0},
                },
            ],
            "format": {"duration": "61.0123456", "bit_rate": "N/A"},
        }
    )
    assert found == probe.ProbeResult(
        duration=61.012,
        bitrate=None,
        width=1920,
        height=1080,
        frame_rate=Fraction(30000, 1001),
        video_codec="h264",
        audio_codec="mp3",
        video_stream=2,
        audio_stream=1,
    )


@pytest.mark.skipif(not shutil.which("ffprobe"), reason="no ffprobe on this system")
@pytest.mark.parametrize("clip", ["hd", "small", "tone"])
def test_ffprobe_and_pyav_agree(clips, clip):
    assert probe._with_ffprobe(clips[clip]) == probe._with_pyav(clips[clip])
