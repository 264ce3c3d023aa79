// 扫码签到: read a resident's QR code with the camera (BarcodeDetector, where the browser has it)
// and send it like the typed-in form does; the server answers in JSON with a Chinese message.
(function () {
  const box = document.querySelector("[data-scanner]");
  const form = document.querySelector("[data-scanner-form]");
  if (!box || !form) return;
  const result = box.querySelector("[data-scanner-result]");
  const video = box.querySelector("[data-scanner-video]");
  const start = box.querySelector("[data-scanner-start]");
  let busy = false;

  function show(message, ok) {
    result.textContent = message;
    result.className = "w-mb-4 help-block " + (ok ? "help-info" : "help-critical");
  }

  async function send(token) {
    busy = true;
    try {
      const response = await fetch(form.action || window.location.href, {
        method: "POST",
        headers: { Accept: "application/json" },
        body: new FormData(form),
      });
      const data = await response.json();
      show(data.message, data.ok);
    } catch (error) {
      show(box.dataset.cameraError, false);
    } finally {
      form.elements.token.value = "";
      // A pause so one code held in front of the camera is not sent again at once.
      setTimeout(() => { busy = false; }, 2000);
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (form.elements.token.value.trim()) send(form.elements.token.value.trim());
  });

  start.addEventListener("click", async () => {
    if (!("BarcodeDetector" in window)) {
      show(box.dataset.unsupported, false);
      return;
    }
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
      video.srcObject = stream;
      video.hidden = false;
      await video.play();
    } catch (error) {
      show(box.dataset.cameraError, false);
      return;
    }
    start.hidden = true;
    const detector = new BarcodeDetector({ formats: ["qr_code"] });
    const scan = async () => {
      if (!busy) {
        try {
          const codes = await detector.detect(video);
          if (codes.length) {
            form.elements.token.value = codes[0].rawValue;
            send(codes[0].rawValue);
          }
        } catch (error) { /* a frame that could not be read: try the next one */ }
      }
      setTimeout(scan, 300);
    };
    scan();
  });
})();
