-- Store orders can be made to fail after taking their stock, before commit.
ALTER TABLE fault_injection DROP CONSTRAINT fault_injection_name;
ALTER TABLE fault_injection ADD CONSTRAINT fault_injection_name CHECK (name IN ('webhook_500_before_commit',
    'webhook_500_after_commit', 'handler_delay_ms', 'checkout_fail_percent'));
