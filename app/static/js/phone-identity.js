// The composer's choice of how the room sees my name (my name, my organisation only, or
// anonymous), offered only under a prompt that allows it.

export class IdentityChoice {
  /** Wire the radios already in the page (#identity-field in the composer's form). */
  constructor(form) {
    const $ = (id) => document.getElementById(id);
    this.form = form;
    this.field = $("identity-field");
    this.namedExample = $("identity-named-example");
    this.orgExample = $("identity-org-example");
    this.prompt = null;  // the prompt the choice was made under
  }

  radio(value) {
    return this.form.querySelector(`input[name="identity"][value="${value}"]`);
  }

  /** What was chosen, or null when the prompt offers no choice. */
  value() {
    if (this.field.hidden) return null;
    const checked = this.form.querySelector('input[name="identity"]:checked');
    return checked ? checked.value : "named";
  }

  /** Show the choice when the prompt offers it; a new prompt starts again from "My name". */
  refresh(prompt, me) {
    const offered = Boolean(prompt && prompt.identity_choice);
    this.field.hidden = !offered;
    const promptId = offered ? prompt.id : null;
    if (promptId !== this.prompt) {
      this.prompt = promptId;
      this.radio("named").checked = true;
    }
    if (!offered || !me) return;
    const organisation = me.organisation || "";
    this.namedExample.textContent = organisation ? `${me.name} · ${organisation}` : me.name;
    this.orgExample.textContent = organisation
      ? `“Someone from ${organisation}”`
      : "You gave no organisation when you joined";
    const orgRadio = this.radio("organisation");
    orgRadio.disabled = !organisation;
    orgRadio.closest("label").classList.toggle("is-disabled", !organisation);
    if (orgRadio.disabled && orgRadio.checked) this.radio("named").checked = true;
  }
}
