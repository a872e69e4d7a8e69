import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { describe, expect, it } from 'vitest';
import { App } from '../../renderer/ui/App.tsx';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

describe('station shell', () => {
  it('opens in Chinese and switches to English', async () => {
    const el = document.createElement('div');
    document.body.append(el);
    const root = createRoot(el);
    await act(async () => root.render(<App />));
    expect(el.querySelector('h1')?.textContent).toBe('代发打单站');
    expect(el.textContent).toContain('回传运单号');
    await act(async () => el.querySelector('button')?.click());
    expect(el.querySelector('h1')?.textContent).toBe('Daifa print station');
    expect(el.textContent).toContain('Return tracking number');
    root.unmount();
  });
});
