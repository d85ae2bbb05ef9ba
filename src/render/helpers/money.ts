import { PLACEHOLDER } from '../limits.js';
import { isMissing, split, toText, type HelperSet } from './value.js';

// https://docs.stripe.com/currencies#zero-decimal
const ZERO_DECIMAL = new Set(['BIF', 'CLP', 'DJF', 'GNF', 'JPY', 'KMF', 'KRW', 'MGA', 'PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF']);
// https://docs.stripe.com/currencies#three-decimal
const THREE_DECIMAL = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);

const formatters = new Map<string, Intl.NumberFormat | null>();

function formatter(currency: string, digits: number): Intl.NumberFormat | null {
  let f = formatters.get(currency);
  if (f === undefined) {
    try {
      f = new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
    } catch {
      f = null;
    }
    formatters.set(currency, f);
  }
  return f;
}

/** Amount in the currency's minor unit (Stripe's convention) → "$12.50", "¥1,200", "KWD 1.250". */
export function formatMoney(amount: number, currency: string): string {
  const code = currency.toUpperCase();
  const digits = ZERO_DECIMAL.has(code) ? 0 : THREE_DECIMAL.has(code) ? 3 : 2;
  const major = amount / 10 ** digits;
  const f = /^[A-Z]{3}$/.test(code) ? formatter(code, digits) : null;
  return f ? f.format(major) : `${major.toFixed(digits)} ${code}`;
}

/** `{{money amount currency}}`; a missing amount shows the placeholder, a missing currency the bare number. */
export function moneyHelpers(): HelperSet {
  return {
    money(...args) {
      const [[amount, currency]] = split(args);
      const n = typeof amount === 'string' && amount.trim() !== '' ? Number(amount) : amount;
      if (typeof n !== 'number' || !Number.isFinite(n)) return PLACEHOLDER;
      return isMissing(currency) ? String(n) : formatMoney(n, toText(currency));
    },
  };
}
