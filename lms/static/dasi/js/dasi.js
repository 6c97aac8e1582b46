// Remembers the section of a lesson the learner has reached, so "Continue" resumes there.
(function () {
  "use strict";
  const lesson = document.querySelector("[data-position-url]");
  if (!lesson || !("IntersectionObserver" in window)) return;
  const url = lesson.dataset.positionUrl;
  const csrf = (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1] || "";
  let last = lesson.dataset.position || "";
  let timer = null;
  function save(position) {
    if (position === last) return;
    last = position;
    clearTimeout(timer);
    timer = setTimeout(function () {
      fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" },
        body: JSON.stringify({ position: position }),
        credentials: "same-origin",
      }).catch(function () { /* offline: the next section seen will try again */ });
    }, 800);
  }
  const observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) save(entry.target.dataset.blockId);
    });
  }, { rootMargin: "0px 0px -60% 0px" });
  lesson.querySelectorAll("[data-block-id]").forEach(function (block) { observer.observe(block); });
})();

// Quiz attempts: save each answer as it changes, and count down to the server's deadline.
(function () {
  "use strict";
  const form = document.querySelector("form[data-answer-url]");
  if (!form) return;
  const url = form.dataset.answerUrl;
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const status = document.querySelector("[data-save-status]");
  function valueOf(fieldset) {
    const type = fieldset.dataset.type;
    if (type === "multiple_choice") {
      return Array.from(fieldset.querySelectorAll("input:checked")).map(function (i) { return i.value; });
    }
    if (type === "single_choice" || type === "true_false") {
      const checked = fieldset.querySelector("input:checked");
      return checked ? checked.value : null;
    }
    const input = fieldset.querySelector("input[type=text]");
    return input ? input.value : null;
  }
  function save(fieldset) {
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" },
      body: JSON.stringify({ question: fieldset.dataset.question, value: valueOf(fieldset) }),
    }).then(function (response) {
      return response.json().then(function (body) {
        if (status) status.textContent = response.ok ? status.dataset.saved || "✓" : body.error;
      });
    }).catch(function () {
      if (status) status.textContent = status.dataset.offline || "…";
    });
  }
  const timers = new WeakMap();
  form.querySelectorAll("fieldset[data-question]").forEach(function (fieldset) {
    fieldset.addEventListener("change", function () { save(fieldset); });
    fieldset.addEventListener("input", function () {
      clearTimeout(timers.get(fieldset));
      timers.set(fieldset, setTimeout(function () { save(fieldset); }, 700));
    });
  });
  const timer = document.querySelector("[data-deadline]");
  if (timer) {
    const output = timer.querySelector("[data-timer-output]");
    const deadline = new Date(timer.dataset.deadline).getTime();
    const tick = function () {
      const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      output.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      if (left === 0) { clearInterval(handle); form.submit(); }
    };
    const handle = setInterval(tick, 1000);
    tick();
  }
})();

// Notebook exercises: refresh the submissions while any is queued or being graded.
(function () {
  "use strict";
  const box = document.querySelector("[data-exercise-status]");
  if (!box || !box.querySelector("[data-waiting]")) return;
  let rounds = 0;
  const poll = function () {
    rounds += 1;
    fetch(box.dataset.exerciseStatus, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (body) {
        const waiting = body.attempts.some(function (a) { return a.status === "submitted" || a.status === "grading"; });
        if (!waiting) { window.location.reload(); return; }
        if (rounds < 120) setTimeout(poll, 2000);
      })
      .catch(function () { if (rounds < 120) setTimeout(poll, 5000); });
  };
  setTimeout(poll, 2000);
})();

// Notebook launches: follow the launch until JupyterLab is ready, then open it. The steps come
// from the server (the launch's recorded state); only the seconds of the current step tick here.
(function () {
  "use strict";
  const box = document.querySelector("[data-launch-status]");
  if (!box) return;
  const label = box.querySelector("[data-launch-label]");
  const list = box.querySelector("[data-launch-stages]");
  const marks = { done: "\u2713", current: "\u25CF", todo: "\u25CB" };
  const secondsText = list ? (list.dataset.secondsText || "") : "";
  let current = null;
  let currentSince = 0;
  const render = function (stages) {
    if (!list || !stages) return;
    const known = {};
    list.querySelectorAll("[data-stage]").forEach(function (item) { known[item.dataset.stage] = item; });
    stages.forEach(function (stage) {
      const item = known[stage.key];
      if (!item) return;  // a step the page did not list (sign-in) stays out
      item.className = "launch-stage launch-stage-" + stage.status;
      if (stage.status === "current") item.setAttribute("aria-current", "step");
      else item.removeAttribute("aria-current");
      item.querySelector(".launch-stage-mark").textContent = marks[stage.status];
      const status = item.querySelector("[data-stage-status]");
      if (status) status.textContent = list.dataset["status" + stage.status.charAt(0).toUpperCase() + stage.status.slice(1)] || "";
      if (stage.status === "current") {
        if (current !== stage.key) {
          current = stage.key;
          if (label) label.textContent = stage.label;  // announced once per step (aria-live)
        }
        currentSince = Date.now() - 1000 * (stage.seconds || 0);
      } else {
        item.querySelector("[data-stage-seconds]").textContent = "";
      }
    });
  };
  const tick = function () {
    const item = current && list && list.querySelector('[data-stage="' + current + '"] [data-stage-seconds]');
    if (item) item.textContent = secondsText.replace("0", String(Math.round((Date.now() - currentSince) / 1000)));
  };
  const poll = function () {
    fetch(box.dataset.launchStatus, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (body) {
        render(body.stages);
        if (body.next) { window.location.assign(body.next); return; }
        if (body.state === "failed") { window.location.reload(); return; }
        setTimeout(poll, 300);
      })
      .catch(function () { setTimeout(poll, 2000); });
  };
  if (list) {
    const first = list.querySelector('[aria-current="step"]');
    if (first) {
      current = first.dataset.stage;
      const seconds = parseInt(first.querySelector("[data-stage-seconds]").textContent, 10) || 0;
      currentSince = Date.now() - 1000 * seconds;
    }
    setInterval(tick, 1000);
  }
  setTimeout(poll, 200);
})();

// Readiness bars: the width comes from data-fill (the Content Security Policy allows no
// style attributes in the HTML; styles set from a script are allowed).
(function () {
  "use strict";
  document.querySelectorAll("[data-fill]").forEach(function (bar) {
    const value = Math.max(0, Math.min(100, parseFloat(bar.dataset.fill) || 0));
    bar.style.width = value + "%";
  });
})();
