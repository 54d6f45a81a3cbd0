import { useQuery } from '@tanstack/react-query';
import { teamsQueryOptions } from '../admin/admin-queries';
import { environmentListQueryOptions, serviceListQueryOptions } from '../freezes/freeze-queries';
import type { DeliveryFilters, Period } from './use-delivery-filters';

const PERIOD_LABELS: Record<Period, string> = {
  '7': '7 days',
  '30': '30 days',
  '90': '90 days',
  custom: 'Custom',
};

type Update = (patch: Partial<DeliveryFilters>) => void;

interface FilterSelectProps {
  label: string;
  value: string;
  // The first option: no filter.
  anyLabel: string;
  options: ReadonlyArray<{ id: string; name: string }> | undefined;
  onChange: (value: string) => void;
}

function FilterSelect({ label, value, anyLabel, options, onChange }: FilterSelectProps) {
  return (
    <label className="filter-field dm-filter">
      <span className="filter-label">{label}</span>
      <select className="input select" value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">{anyLabel}</option>
        {options?.map((option) => (
          <option key={option.id} value={option.id}>
            {option.name}
          </option>
        ))}
      </select>
    </label>
  );
}

function DateField({
  label,
  value,
  onChange,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <label className="filter-field dm-filter">
      <span className="filter-label">{label}</span>
      <input className="input" type="date" value={value} onChange={(event) => onChange(event.target.value)} />
    </label>
  );
}

export function MetricsFilters({ filters, update }: { filters: DeliveryFilters; update: Update }) {
  const services = useQuery(serviceListQueryOptions());
  const teams = useQuery(teamsQueryOptions());
  const environments = useQuery(environmentListQueryOptions());
  return (
    <div className="dm-filters">
      <fieldset className="dm-periods">
        <legend className="filter-label">Period</legend>
        {(Object.keys(PERIOD_LABELS) as Period[]).map((period) => (
          <label key={period} className="dm-period">
            <input
              type="radio"
              name="period"
              value={period}
              checked={filters.period === period}
              onChange={() => update({ period })}
            />
            <span>{PERIOD_LABELS[period]}</span>
          </label>
        ))}
      </fieldset>
      {filters.period === 'custom' ? (
        <>
          <DateField label="From" value={filters.from} onChange={(from) => update({ from })} />
          <DateField label="To" value={filters.to} onChange={(to) => update({ to })} />
        </>
      ) : null}
      <FilterSelect
        label="Service"
        value={filters.service}
        anyLabel="All services"
        options={services.data?.items}
        onChange={(service) => update({ service })}
      />
      <FilterSelect
        label="Team"
        value={filters.team}
        anyLabel="All teams"
        options={teams.data?.items}
        onChange={(team) => update({ team })}
      />
      <FilterSelect
        label="Environment"
        value={filters.environment}
        anyLabel="Production tiers"
        options={environments.data?.items}
        onChange={(environment) => update({ environment })}
      />
    </div>
  );
}
