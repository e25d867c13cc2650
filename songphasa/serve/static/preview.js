// The Preview view, live: when the server says the files changed (a "files" event on /api/events, passed on by
// live.js), each language's frame fetches its page again, at the place it was scrolled to, and then the table
// of documents and their untranslated strings is fetched again. The pages are made on the server.
(() => {
  "use strict";
  const token = document.body.dataset.token;
  const frames = document.getElementById("frames");
  const table = document.getElementById("preview-table");
  const places = new Map();  // each frame's window → how far its page is scrolled (the page tells it)
  let shown = table.querySelector("#documents").dataset.files;

  addEventListener("message", (event) => {
    if (event.data && typeof event.data.songphasaScroll === "number") places.set(event.source, event.data.songphasaScroll);
  });

  async function refresh(files) {
    if (files === shown) return;
    shown = files;
    if (frames) {
      frames.dataset.files = files;
      for (const frame of frames.querySelectorAll("iframe[data-lang]")) {
        const url = new URL(`/preview/${frame.dataset.lang}/${frames.dataset.document}`, location.href);
        url.searchParams.set("token", token);
        url.searchParams.set("v", files);
        const place = places.get(frame.contentWindow);
        frame.src = url.pathname + url.search + (place ? `#y=${place}` : "");
      }
    }
    // The counts need every page: asked for after the frames' two.
    const url = new URL("/fragments/preview", location.href);
    url.searchParams.set("token", token);
    if (frames) url.searchParams.set("document", frames.dataset.document);
    const response = await fetch(url, { cache: "no-store" });
    if (response.ok && shown === files) table.innerHTML = await response.text();
  }
  document.addEventListener("songphasa:files", (event) => { refresh(event.detail.files); });
})();
