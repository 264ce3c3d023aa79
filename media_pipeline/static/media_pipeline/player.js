/*
 * The media player of an asset page (media_pipeline/player.html).
 *
 * Video: native HLS where the browser has it (Safari, iOS), else hls.js over Media Source
 * Extensions, else the MP4 <source> already in the page. The HLS master playlist is requested
 * at the first play, so a page view is not counted as a play. When links stop working (a
 * restricted asset's signed links expired during a long pause, or the asset was reprocessed),
 * fresh ones are fetched from the API and playback resumes where it was.
 *
 * While the asset is being processed, its percentage is refreshed from the API, and the page
 * reloads once processing has ended.
 */
(function () {
  "use strict";

  const HLS_TYPE = "application/vnd.apple.mpegurl";
  const POLL_MS = 5000;
  const MAX_REFRESHES = 3;

  function fetchAsset(section) {
    return fetch(section.dataset.api, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then((response) => (response.ok ? response.json() : null));
  }

  function fallBackToMp4(video, hls) {
    const at = video.currentTime;
    hls.destroy();
    if (!video.dataset.mp4) return;
    video.dataset.engine = "mp4";
    video.src = video.dataset.mp4;
    video.addEventListener("loadedmetadata", () => { video.currentTime = at; }, { once: true });
    video.play().catch(() => {});
  }

  function withHlsJs(section, video) {
    const Hls = window.Hls;
    const hls = new Hls();
    let started = false;
    let refreshes = 0;
    video.dataset.engine = "hls.js";
    hls.attachMedia(video);
    video.addEventListener("play", () => {
      if (started) return;
      started = true;
      hls.loadSource(video.dataset.hls);
    });
    hls.on(Hls.Events.FRAG_LOADED, () => { refreshes = 0; });
    hls.on(Hls.Events.ERROR, (event, data) => {
      if (!data.fatal) return;
      if (data.type === Hls.ErrorTypes.MEDIA_ERROR) {
        hls.recoverMediaError();
      } else if (data.type === Hls.ErrorTypes.NETWORK_ERROR && refreshes < MAX_REFRESHES) {
        refreshes += 1;
        const at = video.currentTime;
        fetchAsset(section).then((asset) => {
          if (!asset || !asset.playback.hls) return fallBackToMp4(video, hls);
          video.dataset.mp4 = asset.playback.mp4 || "";
          hls.once(Hls.Events.MANIFEST_PARSED, () => {
            hls.startLoad(at);
            video.play().catch(() => {}); // a new source pauses the element
          });
          hls.loadSource(asset.playback.hls);
        }).catch(() => fallBackToMp4(video, hls));
      } else {
        fallBackToMp4(video, hls);
      }
    });
  }

  function withNativeHls(section, video) {
    let refreshes = 0;
    video.dataset.engine = "native";
    video.src = video.dataset.hls;
    video.addEventListener("playing", () => { refreshes = 0; });
    video.addEventListener("error", () => {
      // An expired or stale link shows as a network error, or as an unusable source when it
      // is the playlist itself that fails.
      const error = video.error;
      if (!error || error.code === error.MEDIA_ERR_ABORTED || refreshes >= MAX_REFRESHES) return;
      refreshes += 1;
      const at = video.currentTime;
      fetchAsset(section).then((asset) => {
        if (!asset || !asset.playback.hls) return;
        video.src = asset.playback.hls;
        video.addEventListener("loadedmetadata", () => { video.currentTime = at; }, { once: true });
        video.play().catch(() => {});
      }).catch(() => {});
    });
  }

  function setUpVideo(section, video) {
    if (video.canPlayType(HLS_TYPE)) {
      withNativeHls(section, video);
    } else if (window.Hls && window.Hls.isSupported()) {
      withHlsJs(section, video);
    } else {
      video.dataset.engine = "mp4"; // the <source> in the page
    }
  }

  function followProcessing(section) {
    const label = section.querySelector(".media-player__label");
    const percent = section.querySelector(".media-player__percent");
    const bar = section.querySelector(".media-player__progress");
    const tick = () => {
      fetchAsset(section).then((asset) => {
        if (!asset) return;
        if (asset.status === "ready" || asset.status === "failed") {
          window.location.reload();
          return;
        }
        label.textContent = asset.status_label;
        percent.textContent = asset.progress + "%";
        bar.value = asset.progress;
        window.setTimeout(tick, POLL_MS);
      }).catch(() => window.setTimeout(tick, POLL_MS * 4));
    };
    window.setTimeout(tick, POLL_MS);
  }

  const section = document.getElementById("media-player");
  if (!section) return;
  const video = section.querySelector("video[data-hls]");
  if (video) {
    setUpVideo(section, video);
  } else if (section.querySelector(".media-player__progress")) {
    followProcessing(section);
  }
})();
