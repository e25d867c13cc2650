// The organizer's form: each field is saved when it changes (PUT /api/content/FILE), with the file's version,
// so that a save made while someone else saved is a conflict; the build's own sentence shows at the field.
(() => {
  "use strict";
  const form = document.getElementById("content-form");
  const token = document.body.dataset.token;
  const said = JSON.parse(document.body.dataset.said);
  if (!form || form.dataset.writes !== "yes") return;
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("change", async (event) => {
    const field = event.target.closest("[data-path]");
    if (!field) return;
    const message = document.getElementById(field.id + "-message");
    let value = field.type === "checkbox" ? field.checked : field.value;
    if (field.type === "number") value = field.value === "" ? null : Number(field.value);
    else if (value === "") value = null;
    message.textContent = said.saving;
    const url = new URL(`/api/content/${form.dataset.file}`, location.href);
    url.searchParams.set("token", token);
    let response;
    try {
      response = await fetch(url, { method: "PUT", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ path: JSON.parse(field.dataset.path), value, version: form.dataset.version }) });
    } catch (error) {
      message.textContent = said.unreachable;
      return;
    }
    if (response.ok) {
      form.dataset.version = (await response.json()).version;
      message.textContent = said.saved;
      field.removeAttribute("aria-invalid");
    } else {
      message.textContent = said.not_saved.replace(/:$/, "") + ": " + (await response.text()).replace(/^Not saved: /, "");
      field.setAttribute("aria-invalid", "true");
    }
  });
})();
