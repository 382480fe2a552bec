package io.steadfast.web;

import java.util.List;
import java.util.Map;

/** What every page must satisfy, read in the browser: each control named, each text readable against its ground. */
final class PageChecks {
    private PageChecks() {
    }

    /** The controls (inputs, buttons, links) in main that a screen reader could not name. */
    static final String UNNAMED = """
            const unnamed = [];
            for (const el of document.querySelectorAll('main input, main textarea, main select, main button, main a')) {
              const name = el.getAttribute('aria-label') || (el.labels && el.labels.length && el.labels[0].textContent)
                || el.textContent.trim() || el.getAttribute('title');
              if (!name) unnamed.push(el.outerHTML.slice(0, 80));
            }
            return unnamed;""";

    /**
     * Every element showing text whose colour against its background (the first opaque one behind it) is under 4.5:1,
     * WCAG AA for normal text; disabled controls are exempt, as WCAG has them.
     */
    static final String LOW_CONTRAST = """
            const rgb = c => c.match(/[\\d.]+/g).map(Number);
            const lum = ([r, g, b]) => [r, g, b].map(v => v / 255).map(v => v <= 0.03928 ? v / 12.92
              : ((v + 0.055) / 1.055) ** 2.4).reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
            const background = el => {
              for (let e = el; e; e = e.parentElement) {
                const c = rgb(getComputedStyle(e).backgroundColor);
                if (c.length < 4 || c[3] === 1) return c.slice(0, 3);
              }
              return [255, 255, 255];
            };
            const low = [];
            let checked = 0;
            for (const el of document.querySelectorAll('body *')) {
              const text = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
              if (!text || !el.checkVisibility() || el.closest(':disabled, .visually-hidden')) continue;
              checked++;
              const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(background(el))];
              const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
              if (ratio < 4.5) low.push(`${el.tagName}.${el.className} "${el.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}`);
            }
            return {checked, low};""";

    static List<?> unnamedControls(Browser browser) {
        return (List<?>) browser.script(UNNAMED);
    }

    /** How many texts were checked, and those under 4.5:1. */
    static Map<?, ?> contrast(Browser browser) {
        return (Map<?, ?>) browser.script(LOW_CONTRAST);
    }
}
