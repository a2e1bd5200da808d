// A partnership's two keys on this device, kept per partnership in localStorage.

export function partnershipSlots(id) {
  return { backbone: `askroom:backbone:${id}`, member: `askroom:member:${id}` };
}
