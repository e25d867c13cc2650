// The translate view: save an entry with Ctrl+Enter and open the next; Alt+↓ / Alt+↑ move through the list;
// a translation-memory suggestion is put into the translation with its button. The entry's editor, its
// checks and both previews are fragments the server renders (htmx); a save is a PUT of JSON, as the API says.
(() => {
  "use strict";
  const body = document.body;
  const token = body.dataset.token;
  const said = JSON.parse(body.dataset.said);
  const editor = document.getElementById("editor");
  let current = null;

  const links = () => [...document.querySelectorAll("#entries a[data-key]")];
  function mark() {
    for (const link of links()) {
      if (link.dataset.key === current) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
    }
  }
  function open(key) {
    const link = links().find((a) => a.dataset.key === key);
    // An entry further down a long list than it has loaded yet opens all the same.
    const url = link ? link.getAttribute("hx-get") : `/fragments/translate/${editor.dataset.lang}/entry/${key}`;
    htmx.ajax("GET", url, { target: "#editor", swap: "innerHTML" });
    if (link) link.scrollIntoView({ block: "nearest" });
  }
  async function step(by) {
    let all = links();
    const here = all.findIndex((a) => a.dataset.key === current);
    // The last entry a document's list has loaded: its next ones are loaded before moving on.
    const list = here >= 0 ? all[here].closest("ol") : null;
    const more = list ? list.querySelector(":scope > li.more") : null;
    if (by > 0 && more && [...list.querySelectorAll("a[data-key]")].at(-1) === all[here]) {
      await htmx.ajax("GET", more.getAttribute("hx-get"), { source: more, target: more, swap: "outerHTML" });
      all = links();
    }
    const next = all[here + by];
    if (next) open(next.dataset.key);
  }
  document.addEventListener("songphasa:list", mark);
  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target !== editor) return;
    const form = document.getElementById("entry-form");
    if (!form) return;
    current = form.dataset.key;
    history.replaceState(null, "", "#" + current);
    mark();
    const area = form.querySelector("textarea");
    if (area && !area.readOnly) area.focus();
  });

  async function save(form) {
    const message = form.querySelector(".message");
    const areas = [...form.querySelectorAll("textarea")];
    const msgstr = form.dataset.plural === "yes" ? areas.map((a) => a.value) : areas[0].value;
    const entry = { msgstr, fuzzy: form.elements.fuzzy.checked, version: form.elements.version.value };
    message.textContent = said.saving;
    let response;
    try {
      const url = new URL(`/api/catalogs/${form.dataset.lang}/entries/${form.dataset.key}`, location.href);
      url.searchParams.set("token", token);
      response = await fetch(url, { method: "PUT", headers: { "Content-Type": "application/json" },
                                    body: JSON.stringify(entry) });
    } catch (error) {
      message.textContent = said.unreachable;
      return;
    }
    if (response.ok) {
      const saved = await response.json();
      form.elements.version.value = saved.version;
      message.textContent = said.saved;
      form.dataset.saved = "1";
      step(1);
    } else if (response.status === 409) {
      const conflict = await response.json();
      const theirs = conflict.theirs.msgstr;
      form.elements.version.value = conflict.theirs.version;
      message.textContent = `${conflict.error} ${said.on_record} ${Array.isArray(theirs) ? theirs.join(" | ") : theirs || "—"}. ` +
        said.save_again;
    } else {
      message.textContent = said.not_saved + " " + await response.text();
    }
  }

  document.addEventListener("submit", (event) => {
    const form = event.target.closest("#entry-form");
    if (!form) return;
    event.preventDefault();
    save(form);
  });
  document.addEventListener("keydown", (event) => {
    const form = document.getElementById("entry-form");
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && form && editor.dataset.writes === "yes") {
      event.preventDefault();
      save(form);
    } else if (event.altKey && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      step(event.key === "ArrowDown" ? 1 : -1);
    }
  });
  document.addEventListener("click", (event) => {
    const use = event.target.closest("button[data-use]");
    if (!use) return;
    const area = document.querySelector("#entry-form textarea");
    area.value = use.dataset.use;
    area.dispatchEvent(new Event("input", { bubbles: true }));
    area.focus();
  });
  if (location.hash.length > 1) open(location.hash.slice(1));
})();
