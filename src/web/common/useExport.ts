import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { RequestOf } from '../../contract/endpoint.ts';
import type { Routes } from '../../contract/index.ts';
import { urlOf } from '../api/call.ts';
import { download } from '../api/client.ts';
import { errorText } from './errors.ts';

/** Export to Excel: the server renders the .xlsx of the same view and filters (or of one payout); the browser saves it. */
type ExportRoute =
  | 'GET /postings/export.xlsx'
  | 'GET /payments/export.xlsx'
  | 'GET /deposits/export.xlsx'
  | 'GET /deposits/:id/export.xlsx'
  | 'GET /audit-events/export.xlsx';
type ExportRequest<K extends ExportRoute> = RequestOf<Routes[K]>;

export function useExport<K extends ExportRoute>(route: K, fallbackName: string) {
  const [exporting, setExporting] = useState(false);
  const run = async (request: ExportRequest<K>) => {
    setExporting(true);
    try {
      const name = await download(urlOf(route, request).path, fallbackName);
      notifications.show({ color: 'green', title: 'Exported', message: `Saved ${name}` });
    } catch (error) {
      notifications.show({ color: 'red', title: 'Export failed', message: errorText(error) });
    } finally {
      setExporting(false);
    }
  };
  return { exporting, run: (request: ExportRequest<K>) => void run(request) };
}
