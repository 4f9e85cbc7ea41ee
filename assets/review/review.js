// The golden-set review page. Served with a strict Content-Security-Policy: no inline script or
// style, so every element is built here with textContent (data never becomes markup).
"use strict";

(() => {
  const FIELDS = ["type", "subject", "predicate", "object"];

  let state = null;
  let index = Number(/^#c=(\d+)$/.exec(location.hash)?.[1] ?? 0);
  let focus = 0;
  let editing = null;
  /** The proposal whose Accept asked for a confirmation (it repeats a golden memory). */
  let confirming = null;
  const selected = new Set();
  let notice = { text: "", error: false };
  let showHelp = false;

  /** Build an element: attributes (on* are listeners), then children (strings become text). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs ?? {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
      else if (key === "class") el.className = value;
      else if (key === "value") el.value = value;
      else el.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat(Infinity)) if (child !== null && child !== undefined && child !== false) el.append(child instanceof Node ? child : String(child));
    return el;
  }

  const labelKey = (conversationId, text) => `${conversationId}\u0000${text.trim().replace(/\s+/g, " ").toLowerCase()}`;
  /** A proposal's identity for labels: the text its extractor wrote, whatever a reviewer edited since. */
  const extractedText = (proposal) => proposal.extracted_text ?? proposal.text;
  const labelOf = (proposal) => state.labels.find((l) => labelKey(l.conversation_id, l.text) === labelKey(proposal.conversation_id, extractedText(proposal)));

  /** This tab's id: its undo takes back its own changes only (kept across reloads of the tab). */
  const CLIENT = (() => {
    const saved = sessionStorage.getItem("review-client");
    if (saved) return saved;
    const id = crypto.randomUUID();
    sessionStorage.setItem("review-client", id);
    return id;
  })();

  async function call(path, body) {
    const headers = { "X-Review-Client": CLIENT };
    const response = await fetch(path, body === undefined ? { headers } : { method: "POST", headers: { ...headers, "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const data = await response.json();
    if (!response.ok) {
      // Edited elsewhere since this page loaded it: the server sends the current state to show.
      if (response.status === 409 && data.state) state = data.state;
      throw new Error(data.error ?? `HTTP ${response.status}`);
    }
    return data;
  }

  /** The version of the record an action edits, as this page shows it: the server refuses an edit of an older one. */
  function versioned(action) {
    const versions = state.versions ?? { golden: {}, proposals: {}, labels: {} };
    if (action.op === "label") {
      const proposal = state.proposals.find((p) => p.id === action.proposal_id);
      return { ...action, version: proposal ? versions.labels[labelKey(proposal.conversation_id, extractedText(proposal))] ?? 0 : 0 };
    }
    if (action.proposal_id !== undefined) return { ...action, version: versions.proposals[action.proposal_id] ?? 0 };
    if (action.golden_id !== undefined) return { ...action, version: versions.golden[action.golden_id] ?? 0 };
    return action;
  }

  async function act(action, done) {
    try {
      state = await call("api/action", versioned(action));
      notice = { text: done ?? "Saved.", error: false };
    } catch (error) {
      notice = { text: error.message, error: true };
    }
    render();
  }

  const conversation = () => state.conversations[index];

  /** The cards of the current conversation, in the order the page shows them. */
  function cards() {
    const c = conversation();
    const order = new Map(c.turns.map((t, i) => [t.id, i]));
    const anchor = (item) => Math.min(...item.evidence.map((id) => order.get(id) ?? Infinity), Infinity);
    const items = [
      ...state.golden.filter((m) => m.conversation_id === c.id).map((item) => ({ kind: "golden", item })),
      ...state.proposals.filter((p) => p.conversation_id === c.id && p.status !== "accepted").map((item) => ({ kind: "proposal", item })),
    ];
    return items.map((card) => ({ ...card, anchor: anchor(card.item) })).sort((a, b) => a.anchor - b.anchor || (a.kind === b.kind ? 0 : a.kind === "golden" ? -1 : 1));
  }

  function progress() {
    const total = state.proposals.length;
    const reviewed = state.proposals.filter((p) => p.status !== "proposed").length;
    const done = state.conversations.filter((c) => !state.proposals.some((p) => p.conversation_id === c.id && p.status === "proposed")).length;
    return { total, reviewed, done };
  }

  function goTo(next) {
    index = Math.max(0, Math.min(state.conversations.length - 1, next));
    history.replaceState(null, "", `#c=${index}`);
    focus = 0;
    editing = null;
    confirming = null;
    selected.clear();
    render();
  }

  function header() {
    const { total, reviewed, done } = progress();
    const options = state.conversations.map((c, i) => {
      const open = state.proposals.filter((p) => p.conversation_id === c.id && p.status === "proposed").length;
      return h("option", { value: String(i), selected: i === index }, `${c.id}${open > 0 ? ` (${open} to review)` : " ✓"}`);
    });
    return h(
      "header",
      { class: "bar" },
      h("h1", {}, "Golden-set review"),
      h(
        "nav",
        { "aria-label": "conversations" },
        h("button", { type: "button", onclick: () => goTo(index - 1), disabled: index === 0, title: "previous conversation (p)" }, "◀"),
        h("select", { "aria-label": "conversation", onchange: (e) => goTo(Number(e.target.value)) }, options),
        h("button", { type: "button", onclick: () => goTo(index + 1), disabled: index === state.conversations.length - 1, title: "next conversation (n)" }, "▶"),
      ),
      h(
        "div",
        { class: "progress" },
        h("progress", { max: String(Math.max(total, 1)), value: String(reviewed) }),
        h("span", { "data-testid": "progress" }, `${reviewed} / ${total} proposals reviewed · ${done} / ${state.conversations.length} conversations done · ${state.golden.length} golden · ${state.labels.length} labelled`),
      ),
      h("button", { type: "button", class: "undo", onclick: () => act({ op: "undo" }, "Undone."), disabled: !state.can_undo, title: "undo the last change (u)" }, "↶ Undo"),
    );
  }

  function evidenceChips(ids) {
    return h("span", { class: "chips" }, ids.map((id) => h("span", { class: "chip" }, id)));
  }

  function meta(item) {
    const parts = FIELDS.map((f) => item[f]).filter(Boolean);
    if (parts.length === 0) return h("p", { class: "no-fields" }, "no type, subject, predicate or object yet: Edit to fill them in");
    return h("p", { class: "meta" }, parts.join(" · "));
  }

  function editForm(kind, item) {
    const inputs = {};
    const field = (name, label, value, attrs = {}) => {
      inputs[name] = h("input", { name, value: value ?? "", ...attrs });
      return h("label", {}, h("span", {}, label), inputs[name]);
    };
    const alternatives = h("textarea", { name: "alternatives", rows: "2" }, (item.alternatives ?? []).join("\n"));
    const save = () => {
      const fields = Object.fromEntries(["text", ...FIELDS].map((f) => [f, inputs[f].value]));
      fields.evidence = inputs.evidence.value.split(/[\s,]+/).filter(Boolean);
      if (kind === "golden") fields.alternatives = alternatives.value.split("\n");
      editing = null;
      act(kind === "golden" ? { op: "edit_golden", golden_id: item.id, fields } : { op: "edit_proposal", proposal_id: item.id, fields }, "Edited.");
    };
    const form = h(
      "form",
      {
        class: "edit",
        onsubmit: (e) => {
          e.preventDefault();
          save();
        },
        onkeydown: (e) => {
          if (e.key === "Escape") {
            editing = null;
            render();
          }
        },
      },
      field("text", "text", item.text, { required: true }),
      h("div", { class: "grid" }, FIELDS.map((f) => field(f, f, item[f]))),
      field("evidence", "evidence turns", item.evidence.join(", ")),
      kind === "golden" ? h("label", {}, h("span", {}, "alternative wordings (one per line)"), alternatives) : null,
      h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "Save"), h("button", { type: "button", onclick: () => { editing = null; render(); } }, "Cancel")),
    );
    queueMicrotask(() => inputs.text.focus());
    return form;
  }

  function ratingControls(item) {
    const label = labelOf(item);
    const rate = (value) => act({ op: "label", proposal_id: item.id, usefulness: label?.usefulness === value ? null : value }, "Rated.");
    const junkValue = label?.junk === true ? label.junk_category ?? "other" : label?.junk === false ? "no" : "";
    return h(
      "div",
      { class: "rating" },
      h("span", { class: "muted" }, "useful"),
      [1, 2, 3, 4, 5].map((n) => h("button", { type: "button", class: "rate", "aria-pressed": String(label?.usefulness === n), title: `usefulness ${n} (${n})`, onclick: () => rate(n) }, String(n))),
      h(
        "select",
        {
          "aria-label": "junk",
          class: "junk",
          onchange: (e) => {
            const v = e.target.value;
            act({ op: "label", proposal_id: item.id, junk: v === "" ? null : v !== "no", junk_category: v === "" || v === "no" ? null : v }, "Marked.");
          },
        },
        h("option", { value: "", selected: junkValue === "" }, "junk?"),
        h("option", { value: "no", selected: junkValue === "no" }, "not junk"),
        state.junk_categories.map((c) => h("option", { value: c, selected: junkValue === c }, `junk: ${c.replace(/_/g, " ")}`)),
      ),
    );
  }

  /** The golden memory a proposal repeats, as the server measures it (the similarity `golden validate` uses). */
  function similarGolden(proposal) {
    const similar = state.near_golden?.[proposal.id];
    return similar ? h("p", { class: "similar" }, `≈ already golden: ${similar.text}`) : null;
  }

  /** Accept; a proposal that repeats a golden memory asks first, and is accepted on a second press. */
  function accept(proposal) {
    const similar = state.near_golden?.[proposal.id];
    if (similar && confirming !== proposal.id) {
      confirming = proposal.id;
      notice = { text: `This repeats golden memory "${similar.text}". Press Accept anyway to add it all the same, or Reject it.`, error: true };
      render();
      return;
    }
    confirming = null;
    act({ op: "accept", proposal_id: proposal.id, ...(similar ? { confirm_near_duplicate: true } : {}) }, "Accepted.");
  }

  function card({ kind, item }, position) {
    const isEditing = editing && editing.kind === kind && editing.id === item.id;
    const status = kind === "proposal" ? item.status : "golden";
    const actions =
      kind === "proposal"
        ? [
            h("button", { type: "button", class: "primary", onclick: () => accept(item), title: "accept (a)" }, confirming === item.id ? "Accept anyway" : "Accept"),
            h("button", { type: "button", onclick: () => { editing = { kind, id: item.id }; render(); }, title: "edit (e)" }, "Edit"),
            h("button", { type: "button", class: "danger", onclick: () => act({ op: "reject", proposal_id: item.id }, "Rejected."), disabled: item.status === "rejected", title: "reject (r)" }, "Reject"),
          ]
        : [
            h("button", { type: "button", onclick: () => { editing = { kind, id: item.id }; render(); }, title: "edit (e)" }, "Edit"),
            h("button", { type: "button", class: "danger", onclick: () => act({ op: "delete_golden", golden_id: item.id }, "Deleted."), title: "delete (d)" }, "Delete"),
          ];
    return h(
      "article",
      {
        class: `card ${kind} status-${status}${position === focus ? " focused" : ""}`,
        "data-kind": kind,
        "data-id": item.id,
        onclick: (e) => {
          if (focus !== position && !e.target.closest("button, select, input, textarea")) {
            focus = position;
            render();
          }
        },
      },
      h(
        "div",
        { class: "card-head" },
        h("span", { class: `badge ${kind}` }, kind === "golden" ? "golden" : item.status),
        kind === "proposal" && item.confidence !== undefined ? h("span", { class: "muted" }, `confidence ${item.confidence.toFixed(2)}`) : null,
        evidenceChips(item.evidence),
      ),
      isEditing
        ? editForm(kind, item)
        : [
            h("p", { class: "mtext" }, item.text),
            meta(item),
            kind === "proposal" ? similarGolden(item) : null,
            item.alternatives?.length ? h("p", { class: "alts" }, `also: ${item.alternatives.join(" · ")}`) : null,
            h("div", { class: "actions" }, actions),
            kind === "proposal" ? ratingControls(item) : null,
          ],
    );
  }

  /** Types to suggest: the usual ones and every type the set already uses. */
  function knownTypes() {
    const used = [...state.golden, ...state.proposals].map((m) => m.type).filter(Boolean);
    return [...new Set(["fact", "preference", "event", "relation", ...used])];
  }

  function addPanel() {
    const c = conversation();
    const inputs = {};
    const speakers = [...new Set(c.turns.map((t) => t.speaker))];
    const field = (name, placeholder, list) => (inputs[name] = h("input", { name, placeholder, list }));
    const ids = c.turns.map((t) => t.id).filter((id) => selected.has(id));
    return h(
      "aside",
      { class: "add" },
      h("h2", {}, "Add a missing memory"),
      h("p", { class: "muted" }, ids.length ? ["from turns ", evidenceChips(ids)] : "Select its evidence turns on the left first."),
      h(
        "form",
        {
          onsubmit: (e) => {
            e.preventDefault();
            const fields = Object.fromEntries(["text", ...FIELDS].map((f) => [f, inputs[f].value]));
            fields.evidence = ids;
            selected.clear();
            act({ op: "add_golden", conversation_id: c.id, fields }, "Added.");
          },
        },
        field("text", "the fact, in plain words"),
        h("div", { class: "grid" }, field("type", "type (fact, preference…)", "types"), field("subject", "subject", "speakers"), field("predicate", "predicate"), field("object", "object")),
        h("datalist", { id: "speakers" }, speakers.map((s) => h("option", { value: s }))),
        h("datalist", { id: "types" }, knownTypes().map((s) => h("option", { value: s }))),
        h("div", { class: "actions" }, h("button", { type: "submit", class: "primary", disabled: ids.length === 0 }, "Add memory"), h("button", { type: "button", onclick: () => { selected.clear(); render(); } }, "Clear selection")),
      ),
      h("h2", {}, "Keys"),
      h(
        "dl",
        { class: "keys" },
        [
          ["j / k", "next / previous card"],
          ["a · r · e", "accept · reject · edit"],
          ["1–5 · 0", "rate usefulness · clear"],
          ["x", "junk / not junk"],
          ["d", "delete a golden memory"],
          ["n / p", "next / previous conversation"],
          ["m", "write a new memory"],
          ["u", "undo"],
        ].map(([k, v]) => [h("dt", {}, h("kbd", {}, k)), h("dd", {}, v)]),
      ),
    );
  }

  function conversationView(list) {
    const c = conversation();
    const focused = list[focus]?.item;
    const cited = new Set(focused?.evidence ?? []);
    const byAnchor = new Map();
    list.forEach((entry, position) => {
      const key = entry.anchor === Infinity ? "none" : c.turns[entry.anchor].id;
      byAnchor.set(key, [...(byAnchor.get(key) ?? []), card(entry, position)]);
    });
    const rows = c.turns.map((turn) =>
      h(
        "div",
        { class: "row" },
        h(
          "div",
          {
            class: `turn role-${turn.role ?? "none"}${selected.has(turn.id) ? " selected" : ""}${cited.has(turn.id) ? " cited" : ""}`,
            "data-turn": turn.id,
            role: "checkbox",
            tabindex: "0",
            "aria-checked": String(selected.has(turn.id)),
            onclick: () => {
              if (selected.has(turn.id)) selected.delete(turn.id);
              else selected.add(turn.id);
              render();
            },
          },
          h("div", { class: "turn-head" }, h("span", { class: "tid" }, turn.id), h("span", { class: "speaker" }, turn.speaker), turn.ts ? h("span", { class: "muted" }, turn.ts) : null),
          h("p", {}, turn.text),
        ),
        h("div", { class: "cards" }, byAnchor.get(turn.id) ?? []),
      ),
    );
    const loose = byAnchor.get("none");
    return h(
      "section",
      { class: "conversation" },
      h("h2", {}, c.id, h("span", { class: "muted" }, ` · ${c.scope.namespace} · ${c.turns.length} turns`)),
      loose ? h("div", { class: "row" }, h("div", { class: "turn none" }, h("p", { class: "muted" }, "No evidence turn")), h("div", { class: "cards" }, loose)) : null,
      rows,
    );
  }

  function render() {
    const app = document.getElementById("app");
    if (!state) return;
    if (state.conversations.length === 0) {
      app.replaceChildren(h("p", {}, "The dataset holds no conversation."));
      return;
    }
    index = Math.min(index, state.conversations.length - 1);
    const list = cards();
    focus = Math.max(0, Math.min(focus, list.length - 1));
    const parts = [
      header(),
      h("p", { class: `notice${notice.error ? " error" : ""}`, role: notice.error ? "alert" : "status" }, notice.text || `Saving to ${state.files.golden}`),
      showHelp ? h("p", { class: "notice" }, "Keys: j/k move · a accept · r reject · e edit · 1–5 rate · x junk · n/p conversation · u undo") : null,
      h("main", {}, conversationView(list), addPanel()),
    ];
    app.replaceChildren(...parts.filter(Boolean));
    const focusedCard = app.querySelector(".card.focused");
    if (focusedCard && document.activeElement === document.body) focusedCard.scrollIntoView({ block: "nearest" });
  }

  function onKey(e) {
    if (!state || e.target.closest?.("input, textarea, select") || e.altKey || e.metaKey) return;
    const list = cards();
    const current = list[focus];
    const item = current?.item;
    if (e.ctrlKey && e.key !== "z") return;
    const handlers = {
      j: () => { focus = Math.min(list.length - 1, focus + 1); render(); },
      ArrowDown: () => handlers.j(),
      k: () => { focus = Math.max(0, focus - 1); render(); },
      ArrowUp: () => handlers.k(),
      n: () => goTo(index + 1),
      p: () => goTo(index - 1),
      a: () => current?.kind === "proposal" && accept(item),
      r: () => current?.kind === "proposal" && act({ op: "reject", proposal_id: item.id }, "Rejected."),
      d: () => current?.kind === "golden" && act({ op: "delete_golden", golden_id: item.id }, "Deleted."),
      e: () => { if (current) { editing = { kind: current.kind, id: item.id }; render(); } },
      x: () => {
        if (current?.kind !== "proposal") return;
        act({ op: "label", proposal_id: item.id, junk: !(labelOf(item)?.junk ?? false), junk_category: null }, "Marked.");
      },
      m: () => document.querySelector('aside.add input[name="text"]')?.focus(),
      u: () => act({ op: "undo" }, "Undone."),
      z: () => e.ctrlKey && act({ op: "undo" }, "Undone."),
      "?": () => { showHelp = !showHelp; render(); },
    };
    const rating = /^[0-5]$/.test(e.key) ? Number(e.key) : undefined;
    if (rating !== undefined && current?.kind === "proposal") {
      e.preventDefault();
      act({ op: "label", proposal_id: item.id, usefulness: rating === 0 ? null : rating }, "Rated.");
      return;
    }
    const handler = handlers[e.key];
    if (handler) {
      e.preventDefault();
      handler();
    }
  }

  document.addEventListener("keydown", onKey);
  call("api/state")
    .then((data) => {
      state = data;
      render();
    })
    .catch((error) => {
      document.getElementById("app").textContent = `Could not load the review: ${error.message}`;
    });
})();
