import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { download, withQuery, type Query } from '../api/client.ts';
import { errorText } from './errors.ts';

/** Export to Excel: the server renders the .xlsx of the same view and filters; the browser saves it. */
export function useExport(path: string, fallbackName: string) {
  const [exporting, setExporting] = useState(false);
  const run = async (query: Query) => {
    setExporting(true);
    try {
      const name = await download(withQuery(path, query), fallbackName);
      notifications.show({ color: 'green', title: 'Exported', message: `Saved ${name}` });
    } catch (error) {
      notifications.show({ color: 'red', title: 'Export failed', message: errorText(error) });
    } finally {
      setExporting(false);
    }
  };
  return { exporting, run: (query: Query) => void run(query) };
}
