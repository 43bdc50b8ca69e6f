import { Alert, Box, Button, Container, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconLock } from '@tabler/icons-react';
import { useEffect, type ReactNode } from 'react';
import type { Problem } from './problems.ts';

interface Props {
  /** The firm's name, or what the page is about when the firm is not known. */
  title: string;
  subtitle?: ReactNode;
  children?: ReactNode;
  /** The note that card details go to the processor: beside a form, not on a closed page. */
  secureNote?: boolean;
}

/** A firm's payment page: one centred card on a quiet backdrop, the firm's name as its heading. */
export function PublicFrame({ title, subtitle, children, secureNote = true }: Props) {
  useEffect(() => {
    document.title = `${title} · Pay online`;
  }, [title]);
  return (
    <Box bg="gray.1" mih="100vh" px={{ base: 'xs', sm: 'md' }} py={{ base: 'md', sm: 48 }} className="pb-pay-backdrop">
      <Container size={640} px={0}>
        <Paper component="main" withBorder shadow="sm" radius="md" p={{ base: 'md', sm: 'xl' }} className="pb-pay-card">
          <Stack gap="lg">
            <div>
              <Title order={1} size="h2">
                {title}
              </Title>
              {subtitle && (
                <Text c="dimmed" size="lg">
                  {subtitle}
                </Text>
              )}
            </div>
            {children}
          </Stack>
        </Paper>
        {secureNote && (
          <Group className="pb-no-print" justify="center" gap={6} mt="sm" wrap="nowrap" c="dimmed">
            <IconLock size={14} aria-hidden style={{ flexShrink: 0 }} />
            <Text size="xs" c="dimmed">
              Card and bank details go straight to the payment processor; the firm never sees them.
            </Text>
          </Group>
        )}
      </Container>
    </Box>
  );
}

export function ProblemAlert({ problem }: { problem: Problem }) {
  return (
    <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title={problem.title} role="alert">
      {problem.message}
    </Alert>
  );
}

/** A page that cannot be shown: an unknown or disabled payment page, or a closed link. */
export function Closed({ title, message }: { title: string; message: string }) {
  return (
    <PublicFrame title={title} secureNote={false}>
      <Text>{message}</Text>
    </PublicFrame>
  );
}

export function NotAvailable() {
  return (
    <Closed
      title="This payment page is not available"
      message="The address may be mistyped, or the firm has turned this page off. Check the link the firm gave you, or contact the firm to pay another way."
    />
  );
}

export function LoadFailed({ problem, onRetry }: { problem: Problem; onRetry: () => void }) {
  return (
    <PublicFrame title="Online payment">
      <ProblemAlert problem={problem} />
      <Button variant="default" w="fit-content" onClick={onRetry}>
        Try again
      </Button>
    </PublicFrame>
  );
}
