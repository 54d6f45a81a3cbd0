import { ROLES, type Role } from '@flightdeck/contracts';
import { ROLE_LABEL } from '../auth/role-meta';

interface RoleSelectProps {
  value: Role;
  onChange: (role: Role) => void;
  disabled?: boolean;
  id?: string;
  label?: string;
  'aria-describedby'?: string;
}

export function RoleSelect({ value, onChange, disabled, id, label, ...rest }: RoleSelectProps) {
  return (
    <select
      id={id}
      className="input select input-compact"
      value={value}
      disabled={disabled}
      aria-label={label}
      aria-describedby={rest['aria-describedby']}
      onChange={(event) => onChange(event.target.value as Role)}
    >
      {ROLES.map((role) => (
        <option key={role} value={role}>
          {ROLE_LABEL[role]}
        </option>
      ))}
    </select>
  );
}
