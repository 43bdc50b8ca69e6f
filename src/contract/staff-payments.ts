import { z } from 'zod';
import { paymentOut } from './payments.ts';
import { postingRecord } from './records.ts';

/** Make A Payment and Enter Payment: staff taking a payment. */

/** Make A Payment's answer: the payment and the posting record it made. */
export const connectPaymentOut = z.object({ payment: paymentOut, postingRecord: postingRecord.nullable() });
