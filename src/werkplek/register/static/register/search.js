// Progressive enhancement of the register search: suggestions of programme names while typing.
// The programme field (data-suggestions="<url of the JSON list>") gets a <datalist> with the
// names of the programmes on offer. Without JavaScript the field still finds programmes by part
// of their name, so a failed request simply leaves the field as it is.
for (const input of document.querySelectorAll("input[data-suggestions]")) {
  fetch(input.dataset.suggestions, { headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? response.json() : []))
    .then((names) => {
      if (!Array.isArray(names) || names.length === 0) {
        return;
      }
      const list = document.createElement("datalist");
      list.id = `${input.id}-suggestions`;
      for (const name of names) {
        const option = document.createElement("option");
        option.value = name;
        list.append(option);
      }
      input.after(list);
      input.setAttribute("list", list.id);
    })
    .catch(() => {});
}
