// Suggestions while typing, and "nearest first" from the phone's location.
(function () {
  "use strict";
  // Filters fold away on phones (results first) and stay open on wider screens.
  var filters = document.querySelector(".search-filters");
  if (filters && window.matchMedia("(min-width: 48rem)").matches) filters.open = true;

  var input = document.getElementById("search-q");
  var list = document.getElementById("search-suggestions");
  if (!input || !list) return;
  var timer = null;
  var active = -1;
  var lastQuery = "";

  function close() {
    list.hidden = true;
    list.innerHTML = "";
    active = -1;
    input.setAttribute("aria-expanded", "false");
  }

  function choose(text) {
    input.value = text;
    close();
    input.form.submit();
  }

  function render(items) {
    list.innerHTML = "";
    items.forEach(function (item, i) {
      var li = document.createElement("li");
      li.id = "search-suggestion-" + i;
      li.setAttribute("role", "option");
      li.className = "search-suggestions__item";
      li.textContent = item.text;
      var kind = document.createElement("span");
      kind.className = "search-suggestions__type";
      kind.textContent = item.type_label;
      li.appendChild(kind);
      li.addEventListener("mousedown", function (event) {
        event.preventDefault();
        choose(item.text);
      });
      list.appendChild(li);
    });
    list.hidden = items.length === 0;
    input.setAttribute("aria-expanded", items.length ? "true" : "false");
  }

  function fetchSuggestions() {
    var q = input.value.trim();
    if (!q || q === lastQuery) {
      if (!q) close();
      return;
    }
    lastQuery = q;
    fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(q), {
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.ok ? response.json() : [];
      })
      .then(function (items) {
        if (input.value.trim() === q) render(items);
      })
      .catch(close);
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 200);
  });
  input.addEventListener("keydown", function (event) {
    var items = list.querySelectorAll("li");
    if (list.hidden || !items.length) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      active = (active + (event.key === "ArrowDown" ? 1 : -1) + items.length) % items.length;
      items.forEach(function (li, i) {
        li.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", items[active].id);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      choose(items[active].firstChild.textContent);
    } else if (event.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", function () {
    setTimeout(close, 150);
  });

  var sort = document.getElementById("search-sort");
  if (sort) {
    sort.addEventListener("change", function () {
      var form = sort.form;
      if (sort.value !== "distance") return form.submit();
      if (!navigator.geolocation) {
        alert("此浏览器无法获取位置，已按相关度排序。");
        sort.value = "relevance";
        return;
      }
      navigator.geolocation.getCurrentPosition(
        function (position) {
          form.elements.lat.value = position.coords.latitude.toFixed(5);
          form.elements.lng.value = position.coords.longitude.toFixed(5);
          form.submit();
        },
        function () {
          alert("未能获取您的位置，已按相关度排序。");
          sort.value = "relevance";
        },
        { timeout: 8000 }
      );
    });
  }
})();
