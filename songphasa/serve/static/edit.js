// The organizer's forms. A field is saved when it changes (PUT /api/content/FILE with the file's version, so a save
// made while someone else saved is a conflict); "Add" puts a new item into its list, × takes one out, "Add the day"
// adds a day; the concept note's text is previewed as it is typed and saved with Save or Ctrl+S. The build's own
// sentence shows at the field; the previews beside the form are reloaded after each save.
(() => {
  "use strict";
  const form = document.getElementById("content-form");
  const token = document.body.dataset.token;
  const said = JSON.parse(document.body.dataset.said);
  if (!form) return;
  form.addEventListener("submit", (event) => event.preventDefault());
  const frames = () => Array.from(document.querySelectorAll(".organizer-previews iframe"));
  const picker = document.getElementById("preview-document");

  const api = (path) => {
    const url = new URL(path, location.href);
    url.searchParams.set("token", token);
    return url;
  };
  const reloadPreviews = () => {
    for (const frame of frames()) {
      const url = new URL(`/preview/${frame.dataset.language}/${picker.value}`, location.href);
      url.searchParams.set("token", token);
      url.searchParams.set("t", Date.now());
      frame.removeAttribute("srcdoc");
      frame.src = url;
    }
  };
  if (picker) picker.addEventListener("change", reloadPreviews);
  // A file changed elsewhere (an editor, git pull, a translator's save): the previews are made again, unless the
  // concept note is being typed here (its preview shows the text as typed).
  let typing = false;
  document.addEventListener("songphasa:files", () => { if (!typing) reloadPreviews(); });

  // Where a field's message goes: its own, else the nearest one around it (its item's, its box's), else the form's.
  const messageOf = (field) => {
    const own = document.getElementById(field.id + "-message");
    if (own) return own;
    for (let around = field.parentElement; around && around !== form; around = around.parentElement) {
      const found = around.querySelector(".message");
      if (found) return found;
    }
    return document.getElementById("form-message");
  };

  const send = async (method, path, body, field) => {
    const message = messageOf(field);
    message.textContent = said.saving;
    let response;
    try {
      response = await fetch(api(path), { method, headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ ...body, version: form.dataset.version }) });
    } catch (error) {
      message.textContent = said.unreachable;
      return null;
    }
    if (response.ok) {
      const answer = await response.json();
      form.dataset.version = answer.version;
      message.textContent = said.saved;
      field.removeAttribute("aria-invalid");
      reloadPreviews();
      return answer;
    }
    message.textContent = said.not_saved.replace(/:$/, "") + ": " + (await response.text()).replace(/^Not saved: /, "");
    field.setAttribute("aria-invalid", "true");
    return null;
  };
  const writes = form.dataset.writes === "yes";
  const file = form.dataset.file;

  // One field: saved as it changes, with what it said when shown ("was"): someone else's save elsewhere in the
  // file then does not stop it, a save of the same field does (409, theirs and yours shown at the field).
  const valueOf = (field) => {
    if (field.type === "checkbox") return field.checked;
    if (field.value === "") return null;
    return field.type === "number" ? Number(field.value) : field.value;
  };
  const shown = new Map();
  for (const field of form.querySelectorAll("[data-path]")) shown.set(field, valueOf(field));
  // A field refused alone waits, and is sent with the next change beside it (the same group): a venue's place
  // taken out and its name put in are one change, though neither can be saved alone.
  const waiting = new Set();
  const groupOf = (field) => JSON.stringify(JSON.parse(field.dataset.path).slice(0, -1));
  form.addEventListener("change", async (event) => {
    const field = event.target.closest("[data-path]");
    if (!field || !writes) return;
    const value = valueOf(field);
    const beside = [...waiting].filter((other) => other !== field && groupOf(other) === groupOf(field));
    const body = { path: JSON.parse(field.dataset.path), value, was: shown.get(field) ?? null,
      also: beside.map((other) => ({ path: JSON.parse(other.dataset.path), value: valueOf(other),
        was: shown.get(other) ?? null })) };
    if (await send("PUT", `/api/content/${file}`, body, field)) {
      shown.set(field, value);
      waiting.delete(field);
      for (const other of beside) {
        shown.set(other, valueOf(other));
        waiting.delete(other);
        other.removeAttribute("aria-invalid");
        messageOf(other).textContent = said.saved;
      }
    } else {
      waiting.add(field);
    }
  });

  // The values of a box of new fields, by name (empty ones left out); a name "items.0.start" makes
  // {"items": [{"start": …}]}.
  const valuesOf = (box) => {
    const value = {};
    const put = (name, given) => {
      const steps = name.split(".").map((step) => (/^\d+$/.test(step) ? Number(step) : step));
      let node = value;
      steps.slice(0, -1).forEach((step, n) => {
        if (node[step] === undefined) node[step] = typeof steps[n + 1] === "number" ? [] : {};
        node = node[step];
      });
      node[steps[steps.length - 1]] = given;
    };
    for (const input of box.querySelectorAll("[data-name]")) {
      if (input.type === "checkbox") { if (input.checked) put(input.dataset.name, true); }
      else if (input.value !== "") put(input.dataset.name, input.type === "number" ? Number(input.value) : input.value);
    }
    return value;
  };
  // After an item is added or taken out the rows' positions change: the page is read again, at the same place.
  const again = () => { sessionStorage.setItem("songphasa-scroll", String(scrollY)); location.reload(); };
  const kept = sessionStorage.getItem("songphasa-scroll");
  if (kept !== null) { sessionStorage.removeItem("songphasa-scroll"); scrollTo(0, Number(kept)); }

  form.addEventListener("click", async (event) => {
    const button = event.target.closest("button");
    if (!button || !writes) return;
    if (button.matches("[data-add]")) {
      const box = button.closest("[data-insert]");
      const path = JSON.parse(box.dataset.insert);
      const value = valuesOf(box);
      const body = box.dataset.first === "yes" ? { path, value: [value] } : { path, insert: value };
      if (await send("PUT", `/api/content/${file}`, body, button)) again();
    } else if (button.matches("[data-remove]")) {
      if (await send("PUT", `/api/content/${file}`, { path: JSON.parse(button.dataset.remove), value: null }, button)) again();
    } else if (button.matches("[data-add-day]")) {
      if (await send("POST", "/api/content/agenda/days", valuesOf(button.closest("fieldset")), button)) again();
    } else if (button.id === "prose-save") {
      await saveProse();
    }
  });

  // The concept note: previewed in every language as it is typed, saved on request.
  const prose = document.getElementById("prose-text");
  if (!prose) return;
  const saveProse = async () => {
    if (await send("PUT", `/api/content/${file}`, { text: prose.value }, prose)) typing = false;
  };
  // Words of the paragraph being typed, as the page shows them (Markdown's marks and a heading's {#id} left out).
  const near = () => {
    const text = prose.value;
    const at = prose.selectionStart;
    const start = text.lastIndexOf("\n\n", at - 1) + 1;
    const end = text.indexOf("\n\n", at);
    const paragraph = text.slice(start, end === -1 ? text.length : end);
    const plain = paragraph.replace(/\{#[^}]*\}/g, "").replace(/\]\([^)]*\)/g, "").replace(/^\s*([#>*+-]+|\d+\.)\s+/gm, "")
      .replace(/[*_`[\]]/g, "").replace(/\s+/g, " ").trim();
    return plain.split(" ").slice(0, 6).join(" ");
  };
  let timer = null;
  let asked = 0;
  const preview = async () => {
    const mine = ++asked;
    for (const frame of frames()) {
      let response;
      try {
        response = await fetch(api(`/fragments/edit/concept-note/${frame.dataset.language}`), {
          method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text: prose.value, near: near() }) });
      } catch (error) {
        return;
      }
      if (mine !== asked) return;
      const text = await response.text();
      if (response.ok) {
        frame.srcdoc = text;
        prose.removeAttribute("aria-invalid");
      } else {
        document.getElementById("prose-text-message").textContent = text;
        prose.setAttribute("aria-invalid", "true");
      }
    }
  };
  prose.addEventListener("input", () => { typing = true; clearTimeout(timer); timer = setTimeout(preview, 300); });
  prose.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === "s") { event.preventDefault(); saveProse(); }
  });
})();
