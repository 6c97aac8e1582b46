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
