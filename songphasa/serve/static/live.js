// The session's pages, live: the server says "state" on /api/events when anything was recorded;
// the page fetches its fragment again. The browser's EventSource reconnects by itself and sends
// the last event id it saw (Last-Event-ID), so a page that lost the network catches up.
(() => {
  "use strict";
  const body = document.body;
  const token = body.dataset.token;
  const region = document.getElementById("live");
  const connection = document.getElementById("connection");
  let seen = body.dataset.seen;
  // What the page says, in its language (the server translated it).
  const said = JSON.parse(body.dataset.said);

  const withToken = (path) => {
    const url = new URL(path, location.href);
    url.searchParams.set("token", token);
    return url;
  };

  async function refresh(eventId) {
    if (!body.dataset.fragment) return;  // a page without a live part (the organizer's form)
    const url = withToken(body.dataset.fragment);
    if (seen) url.searchParams.set("since", seen);
    const response = await fetch(url, { cache: "no-store" });
    if (!response.ok) return;
    const html = await response.text();
    if (body.dataset.kind === "secretariat") {
      merge(document.getElementById("forms"), html);
      refreshLog();
    } else if (body.dataset.kind === "translate") {
      // The list of entries only: the entry being translated is left as it is (its save says if it is stale).
      const list = document.getElementById("entries");
      list.innerHTML = html;
      htmx.process(list);
      document.dispatchEvent(new CustomEvent("songphasa:list"));
    } else region.innerHTML = html;
    seen = eventId;
  }

  // The secretariat's decision log, for the minutes.
  async function refreshLog() {
    const url = withToken("/fragments/log");
    url.searchParams.set("ui", document.documentElement.lang);
    const response = await fetch(url, { cache: "no-store" });
    if (response.ok) document.getElementById("log-entries").innerHTML = await response.text();
  }

  // The secretariat's forms: one being typed into is left as it is (its save says if it is stale).
  function merge(forms_region, html) {
    const fresh = document.createElement("template");
    fresh.innerHTML = html;
    const forms = fresh.content.querySelectorAll("form[data-rec]");
    if (!forms_region.querySelector("form[data-rec]") ||
        forms.length !== forms_region.querySelectorAll("form[data-rec]").length) {
      forms_region.replaceChildren(fresh.content);
      htmx.process(forms_region);
      return;
    }
    for (const form of forms) {
      const old = document.getElementById(form.id);
      if (!old || old.dataset.dirty) continue;
      // What the last save said stays said.
      form.querySelector(".message").textContent = old.querySelector(".message").textContent;
      old.replaceWith(form);
      htmx.process(form);
    }
  }

  // One stream per page. A browser opens at most six connections to one server, and each open page's stream
  // holds one: a page in a background tab lets its stream go after a while and catches up when shown again,
  // so that a seventh tab on the secretariat's laptop still opens.
  let source = null;
  let idle = null;
  function connect() {
    if (source) return;
    source = new EventSource(withToken("/api/events?since=" + encodeURIComponent(seen || "")));
    source.addEventListener("state", (event) => { refresh(event.lastEventId); });
    // The files the pages are made from changed: for the Preview view (preview.js).
    source.addEventListener("files", (event) => {
      document.dispatchEvent(new CustomEvent("songphasa:files", { detail: JSON.parse(event.data) }));
    });
    source.addEventListener("open", () => { connection.textContent = said.live; connection.dataset.state = "live"; });
    source.addEventListener("error", () => { connection.textContent = said.lost; connection.dataset.state = "lost"; });
  }
  document.addEventListener("visibilitychange", () => {
    clearTimeout(idle);
    if (document.visibilityState === "hidden") {
      idle = setTimeout(() => { if (source) { source.close(); source = null; } }, 10000);
    } else connect();
  });
  connect();

  if (body.dataset.kind !== "secretariat") return;

  document.addEventListener("input", (event) => {
    const form = event.target.closest("form[data-rec]");
    if (form) form.dataset.dirty = "1";
  });

  document.addEventListener("submit", async (event) => {
    const form = event.target.closest("form[data-rec]");
    if (!form) return;
    event.preventDefault();
    const message = form.querySelector(".message");
    const text = {};
    for (const area of form.querySelectorAll("textarea[data-lang]")) text[area.dataset.lang] = area.value;
    message.textContent = said.saving;
    const decision = { status: form.elements.status.value, text, version: form.elements.version.value };
    let response;
    try {
      response = await fetch(withToken("/api/decisions/" + encodeURIComponent(form.dataset.rec)), {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(decision),
      });
    } catch (error) {
      message.textContent = said.unreachable;
      return;
    }
    if (response.ok) {
      delete form.dataset.dirty;
      message.textContent = said.saved;
      refresh(seen);
    } else if (response.status === 409) {
      const conflict = await response.json();
      form.elements.version.value = conflict.theirs.version;
      const theirs = Object.entries(conflict.theirs.text || {}).map(([lang, said]) => `${lang}: ${said || "—"}`);
      message.textContent = `${conflict.error} ${said.on_record} (${conflict.theirs.status}) ${theirs.join(" | ")}. ` +
        said.save_again;
    } else {
      message.textContent = said.not_saved + " " + await response.text();
    }
  });

  document.addEventListener("click", async (event) => {
    if (event.target.closest("button[data-undo]")) {
      const shown = document.getElementById("undo-message");
      const response = await fetch(withToken("/api/undo"), { method: "POST" });
      shown.textContent = response.ok ? said.undone : said.not_undone + " " + await response.text();
      if (response.ok) refresh(seen);
      return;
    }
    if (event.target.closest("button[data-summary]")) {
      const shown = document.getElementById("undo-message");
      shown.textContent = said.making;
      const response = await fetch(withToken("/api/summary?pdf=1"), { method: "POST" });
      if (response.ok) {
        const made = await response.json();
        shown.textContent = said.made.replace("%(documents)s", made.documents).replace("%(seconds)s", made.seconds);
      } else shown.textContent = said.not_made + " " + await response.text();
      return;
    }
    const button = event.target.closest("button[data-show]");
    if (!button) return;
    await fetch(withToken("/api/current/" + encodeURIComponent(button.dataset.show)), { method: "POST" });
  });
})();
