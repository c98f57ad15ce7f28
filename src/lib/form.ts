/** A text field of a submitted form; a file (or nothing) where text was expected reads as empty. */
export const formText = (form: FormData, name: string): string => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};
