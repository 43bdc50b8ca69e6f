import { describe, expect, it } from 'vitest';
import { usualDeliveryText } from './deliveryText.ts';

describe('the usual delivery time', () => {
  it('states the measured median and 95th percentile', () => {
    expect(usualDeliveryText({ median: 1.43, p95: 3.2, samples: 20 })).toBe(
      'Usually delivered in 1.4 s (20 batches measured; 95% within 3.2 s).',
    );
    expect(usualDeliveryText({ median: 75, p95: 300, samples: 3 })).toBe(
      'Usually delivered in 75 s (3 batches measured; 95% within 5 min).',
    );
  });

  it('leaves out the percentile of a single delivery', () => {
    expect(usualDeliveryText({ median: 2, p95: 2, samples: 1 })).toBe('Usually delivered in 2.0 s (1 batch measured).');
  });

  it('says nothing before there is a delivery to measure', () => {
    expect(usualDeliveryText({ median: null, p95: null, samples: 0 })).toBeNull();
    expect(usualDeliveryText(undefined)).toBeNull();
  });
});
