import type { Lang } from '../../shared/domain/index.ts';

/** A failed action, in the worker's language. */
export function ErrorLine({ error, lang }: { error: unknown; lang: Lang }) {
  if (!error) return null;
  const e = error as { message?: string; messageEn?: string };
  const text = lang === 'en' && e.messageEn ? e.messageEn : (e.message ?? String(error));
  return (
    <p role="alert" className="error">
      {text}
    </p>
  );
}
