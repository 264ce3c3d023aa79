/* Chunked, resumable uploads from the admin page to /api/v1/media/uploads.
 *
 * The file is cut with Blob.slice into the chunk size the server chose; each chunk's SHA-256 is
 * sent with it (crypto.subtle where the page is a secure context, else the small implementation
 * below: office PCs often reach the admin over plain http) and a few chunks are on their way at
 * once (as many as the server allows), each retried with growing pauses when the line drops. The session id is kept in localStorage
 * under the file's name, size and modification time, so choosing the same file again after a
 * reload, a crash or a pause resumes from the server's received parts.
 */
(function () {
  "use strict";

  var RETRY_DELAYS = [1, 2, 4, 8, 15, 30, 60]; // seconds between attempts of one chunk
  var POLL_INTERVAL = 1500; // ms between status checks while the server verifies the file
  var STORAGE_PREFIX = "culturehall-upload:";

  var config = JSON.parse(document.getElementById("upload-config").textContent);
  var form = document.querySelector("[data-upload-form]");
  if (!form) return;
  var fileInput = form.querySelector("input[type=file]");
  var progressBox = document.querySelector("[data-upload-progress]");
  var progressBar = progressBox.querySelector("progress");
  var percentText = progressBox.querySelector("[data-upload-percent]");
  var detailText = progressBox.querySelector("[data-upload-detail]");
  var messageBox = document.querySelector("[data-upload-message]");
  var hint = form.querySelector("[data-upload-hint]");
  var startButton = form.querySelector("[data-upload-start]");
  var pauseButton = form.querySelector("[data-upload-pause]");
  var cancelButton = form.querySelector("[data-upload-cancel]");
  var current = null; // {id, key, paused}

  function field(name) {
    return form.elements[name];
  }

  function csrfToken() {
    return field("csrfmiddlewaretoken").value;
  }

  function sizeText(bytes) {
    var units = ["字节", "KB", "MB", "GB"];
    var value = bytes;
    var unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit += 1;
    }
    return (unit ? value.toFixed(1) : value) + " " + units[unit];
  }

  function durationText(seconds) {
    if (!isFinite(seconds)) return "";
    if (seconds < 60) return Math.ceil(seconds) + " 秒";
    if (seconds < 3600) return Math.ceil(seconds / 60) + " 分钟";
    return (seconds / 3600).toFixed(1) + " 小时";
  }

  function show(message, level) {
    messageBox.className = "help-block help-" + (level || "info");
    messageBox.textContent = message;
  }

  function showHtmlLink(message, url, label) {
    show(message, "info");
    if (url) {
      var link = document.createElement("a");
      link.href = url;
      link.textContent = label;
      messageBox.appendChild(document.createTextNode(" "));
      messageBox.appendChild(link);
    }
  }

  function setProgress(received, total, startedAt, startBytes) {
    var percent = total ? Math.floor((received / total) * 100) : 0;
    progressBox.hidden = false;
    progressBar.value = percent;
    percentText.textContent = percent + "%";
    var detail = sizeText(received) + " / " + sizeText(total);
    var elapsed = (Date.now() - startedAt) / 1000;
    var sent = received - startBytes;
    if (elapsed > 2 && sent > 0 && received < total) {
      var speed = sent / elapsed;
      detail += "，" + sizeText(speed) + "/秒，剩余约 " + durationText((total - received) / speed);
    }
    detailText.textContent = "（" + detail + "）";
  }

  function busy(isBusy) {
    startButton.disabled = isBusy;
    pauseButton.hidden = !isBusy;
    cancelButton.hidden = !isBusy;
  }

  function HttpFailure(status, detail) {
    this.status = status;
    this.message = detail;
  }

  function request(method, url, body, headers) {
    var allHeaders = { "X-CSRFToken": csrfToken() };
    Object.keys(headers || {}).forEach(function (name) {
      allHeaders[name] = headers[name];
    });
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: allHeaders,
      body: body,
    }).then(function (response) {
      if (response.status === 204) return null;
      return response
        .json()
        .catch(function () {
          return {};
        })
        .then(function (data) {
          if (!response.ok) {
            throw new HttpFailure(response.status, data.detail || "服务器错误（" + response.status + "）");
          }
          return data;
        });
    });
  }

  function sleep(seconds) {
    return new Promise(function (resolve) {
      setTimeout(resolve, seconds * 1000);
    });
  }

  function retryable(error) {
    // No answer at all (the line dropped), or a server-side hiccup.
    return !(error instanceof HttpFailure) || error.status >= 500 || error.status === 429;
  }

  /* --- SHA-256 --------------------------------------------------------------------------- */

  var K = new Uint32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
  ]);

  function ror(x, n) {
    return (x >>> n) | (x << (32 - n));
  }

  function sha256Fallback(bytes) {
    var length = bytes.length;
    var padded = new Uint8Array((((length + 8) >> 6) + 1) << 6);
    padded.set(bytes);
    padded[length] = 0x80;
    var view = new DataView(padded.buffer);
    view.setUint32(padded.length - 8, Math.floor(length / 0x20000000));
    view.setUint32(padded.length - 4, (length << 3) >>> 0);
    var H = new Uint32Array([
      0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    ]);
    var W = new Uint32Array(64);
    for (var offset = 0; offset < padded.length; offset += 64) {
      var i;
      for (i = 0; i < 16; i++) W[i] = view.getUint32(offset + i * 4);
      for (i = 16; i < 64; i++) {
        var s0 = ror(W[i - 15], 7) ^ ror(W[i - 15], 18) ^ (W[i - 15] >>> 3);
        var s1 = ror(W[i - 2], 17) ^ ror(W[i - 2], 19) ^ (W[i - 2] >>> 10);
        W[i] = W[i - 16] + s0 + W[i - 7] + s1;
      }
      var a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7];
      for (i = 0; i < 64; i++) {
        var t1 = (h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
        var t2 = ((ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        h = g;
        g = f;
        f = e;
        e = (d + t1) | 0;
        d = c;
        c = b;
        b = a;
        a = (t1 + t2) | 0;
      }
      H[0] += a; H[1] += b; H[2] += c; H[3] += d; H[4] += e; H[5] += f; H[6] += g; H[7] += h;
    }
    return Array.prototype.map
      .call(H, function (word) {
        return ("0000000" + word.toString(16)).slice(-8);
      })
      .join("");
  }

  function sha256(buffer) {
    if (window.crypto && window.crypto.subtle && window.isSecureContext) {
      return window.crypto.subtle.digest("SHA-256", buffer).then(function (digest) {
        return Array.prototype.map
          .call(new Uint8Array(digest), function (byte) {
            return ("0" + byte.toString(16)).slice(-2);
          })
          .join("");
      });
    }
    return Promise.resolve(sha256Fallback(new Uint8Array(buffer)));
  }

  /* --- the upload ------------------------------------------------------------------------ */

  function sessionUrl(id) {
    return config.apiUrl + "/" + id;
  }

  function storageKey(file, venue) {
    return STORAGE_PREFIX + venue + ":" + file.name + ":" + file.size + ":" + file.lastModified;
  }

  function resumable(key, file) {
    var id = localStorage.getItem(key);
    if (!id) return Promise.resolve(null);
    return request("GET", sessionUrl(id)).then(
      function (session) {
        if (session.status === "uploading" && session.size === file.size) return session;
        localStorage.removeItem(key);
        return null;
      },
      function (error) {
        if (retryable(error)) throw error;
        localStorage.removeItem(key); // gone, expired or someone else's
        return null;
      }
    );
  }

  function startSession(file) {
    return request(
      "POST",
      config.apiUrl,
      JSON.stringify({
        venue: field("venue").value,
        title: field("title").value,
        kind: field("kind").value,
        visibility: field("visibility").value,
        file_name: file.name,
        size: file.size,
      }),
      { "Content-Type": "application/json" }
    );
  }

  function sendPart(session, file, number, attempt) {
    var start = (number - 1) * session.chunk_size;
    var chunk = file.slice(start, Math.min(start + session.chunk_size, file.size));
    return chunk
      .arrayBuffer()
      .then(function (buffer) {
        return sha256(buffer).then(function (checksum) {
          return request("PUT", sessionUrl(session.id) + "/parts/" + number, buffer, {
            "Content-Type": "application/octet-stream",
            "X-Chunk-SHA256": checksum,
          });
        });
      })
      .catch(function (error) {
        if (error instanceof HttpFailure && error.status === 410) localStorage.removeItem(current.key);
        var giveUp = current.paused || current.stopped;
        if (!retryable(error) || attempt >= RETRY_DELAYS.length || giveUp) throw error;
        var delay = RETRY_DELAYS[attempt];
        show("网络不稳定，" + delay + " 秒后重试第 " + number + " 块（第 " + (attempt + 1) + " 次重试）……", "warning");
        return sleep(delay).then(function () {
          if (current.stopped) throw error; // another part failed for good meanwhile
          return sendPart(session, file, number, attempt + 1);
        });
      });
  }

  // Sends the missing parts, up to session.parallel_parts at once and never further ahead of the
  // first missing part than the server takes. Resolves true when all are stored, false when
  // paused (after the parts on their way have arrived).
  function sendParts(session, file) {
    var width = Math.max(1, session.parallel_parts || 1);
    var stored = {};
    var sending = {};
    var inFlight = 0;
    var received = session.received_bytes;
    var startedAt = Date.now();
    var startBytes = received;
    session.received_parts.forEach(function (number) {
      stored[number] = true;
    });
    setProgress(received, file.size, startedAt, startBytes);

    function firstMissing() {
      var number = 1;
      while (stored[number]) number += 1;
      return number;
    }

    return new Promise(function (resolve, reject) {
      var failed = false;

      function fail(error) {
        if (failed) return;
        failed = true;
        current.stopped = true; // the other parts' pending retries stop too
        reject(error);
      }

      function pump() {
        if (failed) return;
        var missing = firstMissing();
        if (missing > session.part_count) return resolve(true);
        if (current.paused) {
          if (inFlight === 0) resolve(false);
          return;
        }
        for (var number = missing; number < missing + width && inFlight < width; number++) {
          if (number > session.part_count) break;
          if (!stored[number] && !sending[number]) launch(number);
        }
      }

      function launch(number) {
        inFlight += 1;
        sending[number] = true;
        sendPart(session, file, number, 0).then(
          function (part) {
            inFlight -= 1;
            delete sending[number];
            if (!stored[number]) received += part.size;
            stored[number] = true;
            setProgress(received, file.size, startedAt, startBytes);
            if (failed) return; // the failure's message stays on screen
            show("正在上传……", "info");
            pump();
          },
          function (error) {
            inFlight -= 1;
            delete sending[number];
            if (!(error instanceof HttpFailure) || error.status !== 409) return fail(error);
            // Out of step with the server (another tab, a lost answer): ask where it stands.
            request("GET", sessionUrl(session.id)).then(function (fresh) {
              if (fresh.status !== "uploading" || fresh.received_parts.indexOf(number) !== -1) {
                return fail(error);
              }
              stored = {};
              fresh.received_parts.forEach(function (done) {
                stored[done] = true;
              });
              received = fresh.received_bytes;
              pump();
            }, fail);
          }
        );
      }

      pump();
    });
  }

  function waitForResult(session) {
    if (session.status !== "completing") return Promise.resolve(session);
    show("上传完成，正在检查文件内容……（大文件可能需要几分钟）", "info");
    return sleep(POLL_INTERVAL / 1000).then(function () {
      return request("GET", sessionUrl(session.id)).then(waitForResult);
    });
  }

  function finish(session) {
    localStorage.removeItem(current.key);
    var listed = document.querySelector('[data-upload-abort="' + session.id + '"]');
    if (listed) listed.closest("tr").remove();
    if (session.status === "completed" && session.asset) {
      var message = session.duplicate
        ? "该文件与已有的媒体资源《" + session.asset.title + "》（" + session.asset.venue + "）完全相同，没有重复保存，已关联到该资源。"
        : "上传成功：《" + session.asset.title + "》已保存，正在转码处理。";
      showHtmlLink(message, session.asset.edit_url, "查看媒体资源");
      progressBar.value = 100;
      percentText.textContent = "100%";
    } else {
      show("文件未通过检查：" + (session.error || session.status_label), "critical");
    }
  }

  function upload(file) {
    var venue = field("venue").value;
    var key = storageKey(file, venue);
    current = { key: key, paused: false, cancelled: false, stopped: false, id: null };
    busy(true);
    return resumable(key, file)
      .then(function (session) {
        if (session) {
          show("发现未完成的上传，已传 " + session.received_parts.length + " / " + session.part_count + " 块，继续上传其余部分。", "info");
          return session;
        }
        return startSession(file).then(function (created) {
          localStorage.setItem(key, created.id);
          return created;
        });
      })
      .then(function (session) {
        current.id = session.id;
        return sendParts(session, file).then(function (done) {
          if (!done) {
            show("已暂停。重新选择同一个文件并点击“开始上传”即可继续。", "warning");
            return null;
          }
          return request("POST", sessionUrl(session.id) + "/complete")
            .then(waitForResult)
            .then(finish);
        });
      })
      .catch(function (error) {
        if (current.cancelled) return;
        var detail = error instanceof HttpFailure ? error.message : "网络连接中断，请检查网络后重新开始（已上传的部分会保留）。";
        show(detail, "critical");
      })
      .then(function () {
        busy(false);
      });
  }

  function guessKind(file) {
    var extension = (file.name.split(".").pop() || "").toLowerCase();
    return Object.keys(config.kinds).filter(function (kind) {
      return config.kinds[kind].extensions.indexOf(extension) !== -1;
    })[0];
  }

  function describeKind() {
    var kind = config.kinds[field("kind").value];
    if (!kind) return;
    fileInput.accept = kind.extensions.map(function (ext) { return "." + ext; }).join(",");
    hint.textContent = "允许的格式：" + kind.extensions.join("、") + "；最大 " + kind.limitText + "。";
  }

  fileInput.addEventListener("change", function () {
    var file = fileInput.files[0];
    if (!file) return;
    var kind = guessKind(file);
    if (kind && field("kind").value !== kind) {
      field("kind").value = kind;
      describeKind();
    }
    if (!field("title").value) field("title").value = file.name.replace(/\.[^.]+$/, "");
  });
  field("kind").addEventListener("change", describeKind);
  describeKind();

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var file = fileInput.files[0];
    if (!file) return show("请选择要上传的文件。", "critical");
    if (!field("title").value.trim()) return show("请填写标题。", "critical");
    if (file.size === 0) return show("文件是空的（0 字节），无法上传。", "critical");
    var kind = config.kinds[field("kind").value];
    if (kind && file.size > kind.limit) {
      return show("文件过大：该类型的文件不能超过 " + kind.limitText + "。", "critical");
    }
    upload(file);
  });

  pauseButton.addEventListener("click", function () {
    if (current) current.paused = true;
    show("正在暂停（正在传的几块传完后停止）……", "info");
  });

  function abort(id) {
    return request("DELETE", sessionUrl(id));
  }

  cancelButton.addEventListener("click", function () {
    if (!current || !window.confirm("确定取消上传吗？已上传的部分将被删除。")) return;
    current.paused = current.cancelled = true;
    localStorage.removeItem(current.key);
    if (current.id) {
      abort(current.id).then(
        function () {
          show("已取消上传。", "info");
          progressBox.hidden = true;
        },
        function (error) {
          show(error.message || "取消失败，请重试。", "critical");
        }
      );
    }
  });

  document.querySelectorAll("[data-upload-abort]").forEach(function (button) {
    button.addEventListener("click", function () {
      if (!window.confirm("确定放弃这个上传吗？已上传的部分将被删除。")) return;
      abort(button.dataset.uploadAbort).then(
        function () {
          button.closest("tr").remove();
        },
        function (error) {
          show(error.message || "操作失败，请重试。", "critical");
        }
      );
    });
  });
})();
