import { Anchor, Breadcrumbs, Container } from '@mantine/core';
import { Link, useNavigate } from 'react-router-dom';
import { PageHeader } from '../../components/PageHeader';
import { SubscriptionForm } from './SubscriptionForm';

export function NewSubscriptionPage() {
  const navigate = useNavigate();
  return (
    <Container size="lg" px={0}>
      <PageHeader
        above={
          <Breadcrumbs separator="›" fz="sm">
            <Anchor component={Link} to="/subscriptions">
              Subscriptions
            </Anchor>
            <span>New</span>
          </Breadcrumbs>
        }
        title="New subscription"
        description="Fields marked * are required. Save & New keeps this page open for the next one."
      />
      <SubscriptionForm onSaved={(saved, next) => next === 'open' && navigate(`/subscriptions/${saved.id}/summary`)} />
    </Container>
  );
}
