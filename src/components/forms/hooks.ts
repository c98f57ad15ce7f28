"use client";
/** Keyboard shortcuts and uploads with progress, for the console's client components. */
import { useEffect, useRef } from "react";

/**
 * Runs `handler` when `key` is pressed outside a text field (e.g. "/" focuses search, "n" opens "new").
 * Modifier keys are left to the browser.
 */
export function useHotkey(key: string, handler: (e: KeyboardEvent) => void): void {
  const ref = useRef(handler);
  useEffect(() => {
    ref.current = handler;
  }, [handler]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== key || e.metaKey || e.ctrlKey || e.altKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName))) return;
      if (document.querySelector("dialog[open]")) return;
      e.preventDefault();
      ref.current(e);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [key]);
}

export interface UploadResult<T> {
  ok: boolean;
  status: number;
  body: T | { error: string };
}

/** POSTs a form with XMLHttpRequest so the upload's progress (0..1) can be shown; fetch cannot report it. */
export function uploadWithProgress<T>(url: string, form: FormData, onProgress: (fraction: number) => void): Promise<UploadResult<T>> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.responseType = "text";
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      onProgress(1);
      let body: T | { error: string };
      try {
        body = JSON.parse(xhr.responseText) as T | { error: string };
      } catch {
        body = { error: xhr.responseText || `HTTP ${xhr.status}` };
      }
      resolve({ ok: xhr.status >= 200 && xhr.status < 300, status: xhr.status, body });
    };
    xhr.onerror = () => reject(new Error("The upload failed: network error"));
    xhr.send(form);
  });
}

/**
 * One file upload as the console's forms do it: `setProgress` goes from 0 to 1 while the file (form field "file",
 * after `fields`) is sent and back to null once `onAnswer` is done with the server's answer; a request that
 * fails, or an `onAnswer` that throws, ends in `onError` with the message.
 */
export async function uploadFile<T>(
  url: string,
  file: File,
  fields: Record<string, string>,
  setProgress: (progress: number | null) => void,
  onAnswer: (answer: UploadResult<T>) => void | Promise<void>,
  onError: (message: string) => void,
): Promise<void> {
  setProgress(0);
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  form.set("file", file);
  try {
    await onAnswer(await uploadWithProgress<T>(url, form, setProgress));
  } catch (error) {
    onError(error instanceof Error ? error.message : String(error));
  } finally {
    setProgress(null);
  }
}
