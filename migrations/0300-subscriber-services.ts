import { sql } from 'kysely';
import type { Migration } from '../electron/server/db/migration';

/**
 * What a subscriber has: account packages, subscriber services with their tariff options, profile
 * answers and scheduled changes; and the network they point at (routers, IPv4 networks, allocations),
 * created first because a service names its router, pool and addresses.
 */
export const migration: Migration = {
  id: '0300-subscriber-services',
  steps: (db) => [
    db.schema
      .createTable('routers')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('vendor', 'text', (c) => c.notNull())
      .addColumn('api_port', 'integer', (c) => c.check(sql`api_port between 1 and 65535`))
      .addColumn('api_user', 'text')
      // Sealed by the SecretBox (platform/secrets.ts); never stored or answered in clear.
      .addColumn('api_password_sealed', 'text')
      .addColumn('radius_secret_sealed', 'text')
      .addColumn('notes', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .modifyEnd(sql`strict`),

    db.schema
      .createTable('ip_networks')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('cidr', 'text', (c) => c.notNull().unique())
      // The first and last address as 32-bit integers, so containment and overlap are range tests.
      .addColumn('first_int', 'integer', (c) => c.notNull())
      .addColumn('last_int', 'integer', (c) => c.notNull().check(sql`last_int >= first_int`))
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('permanent', 'pool')`))
      .addColumn('router_id', 'integer', (c) => c.references('routers.id').onDelete('restrict'))
      .addColumn('gateway', 'text')
      .addColumn('description', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .modifyEnd(sql`strict`),
    db.schema.createIndex('ip_networks_range').on('ip_networks').columns(['first_int', 'last_int']),
    db.schema.createIndex('ip_networks_router').on('ip_networks').column('router_id'),

    db.schema
      .createTable('ip_network_exclusions')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('network_id', 'integer', (c) => c.notNull().references('ip_networks.id').onDelete('cascade'))
      .addColumn('first_address', 'text', (c) => c.notNull())
      .addColumn('last_address', 'text', (c) => c.notNull())
      .addColumn('first_int', 'integer', (c) => c.notNull())
      .addColumn('last_int', 'integer', (c) => c.notNull().check(sql`last_int >= first_int`))
      .addColumn('reason', 'text')
      .modifyEnd(sql`strict`),
    db.schema.createIndex('ip_network_exclusions_network').on('ip_network_exclusions').column('network_id'),

    db.schema
      .createTable('account_packages')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('subscription_id', 'integer', (c) => c.notNull().references('subscriptions.id').onDelete('restrict'))
      .addColumn('package_id', 'integer', (c) => c.notNull().references('packages.id').onDelete('restrict'))
      .addColumn('contract_id', 'integer', (c) => c.references('contracts.id').onDelete('restrict'))
      .addColumn('start_date', 'text', (c) => c.notNull())
      .addColumn('end_date', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .modifyEnd(sql`strict`),
    db.schema.createIndex('account_packages_subscription').on('account_packages').columns(['subscription_id', 'id']),
    db.schema.createIndex('account_packages_package').on('account_packages').column('package_id'),

    db.schema
      .createTable('services')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('subscription_id', 'integer', (c) => c.notNull().references('subscriptions.id').onDelete('restrict'))
      .addColumn('account_package_id', 'integer', (c) => c.references('account_packages.id').onDelete('restrict'))
      .addColumn('package_product_id', 'integer', (c) => c.references('package_products.id').onDelete('set null'))
      .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id').onDelete('restrict'))
      .addColumn('description', 'text', (c) => c.notNull())
      // Exact decimal text ("1", "2.5"): quantities multiply prices, so never a float.
      .addColumn('quantity', 'text', (c) => c.notNull().defaultTo('1'))
      .addColumn('unit', 'text')
      // Null: the plan's price applies (and follows it when the plan's price changes).
      .addColumn('price_cents', 'integer', (c) => c.check(sql`price_cents >= 0`))
      .addColumn('pay_period_months', 'integer', (c) => c.notNull().check(sql`pay_period_months in (1, 3, 6, 12)`))
      .addColumn('rating_method', 'text', (c) =>
        c.notNull().defaultTo('recurring').check(sql`rating_method in ('recurring', 'one-time', 'prepaid-usage')`),
      )
      .addColumn('start_date', 'text', (c) => c.notNull())
      .addColumn('end_date', 'text')
      .addColumn('discount_percent', 'text')
      .addColumn('discount_start', 'text')
      // Inclusive: the last day the discount applies.
      .addColumn('discount_end', 'text')
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('Active', 'Disabled', 'Stopped', 'Pending', 'Archived')`))
      // 1 when Stopped because the subscription went Inactive, so reactivation restores exactly these.
      .addColumn('stopped_by_subscription', 'integer', (c) => c.notNull().defaultTo(0).check(sql`stopped_by_subscription in (0, 1)`))
      // Tariff options of Internet services.
      .addColumn('router_id', 'integer', (c) => c.references('routers.id').onDelete('restrict'))
      .addColumn('login', 'text')
      // Null: the subscription's service password applies.
      .addColumn('password', 'text')
      .addColumn('ipv4_assignment', 'text', (c) => c.notNull().defaultTo('none').check(sql`ipv4_assignment in ('none', 'permanent', 'dynamic')`))
      .addColumn('ipv4_address', 'text')
      .addColumn('routed_network', 'text')
      // Null with dynamic assignment: any pool of the router.
      .addColumn('pool_network_id', 'integer', (c) => c.references('ip_networks.id').onDelete('restrict'))
      // Normalized (AA:BB:CC:DD:EE:FF), comma-separated; the first is used where only one fits.
      .addColumn('mac_addresses', 'text')
      .addColumn('port_id', 'text')
      .addColumn('latitude', 'real', (c) => c.check(sql`latitude between -90 and 90`))
      .addColumn('longitude', 'real', (c) => c.check(sql`longitude between -180 and 180`))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .modifyEnd(sql`strict`),
    db.schema.createIndex('services_subscription').on('services').columns(['subscription_id', 'id']),
    db.schema.createIndex('services_plan').on('services').column('plan_id'),
    db.schema.createIndex('services_router').on('services').column('router_id'),
    db.schema.createIndex('services_account_package').on('services').column('account_package_id'),
    db.schema.createIndex('services_package_product').on('services').column('package_product_id'),
    // A login is unique among services that are not Archived: the database decides, so two staff
    // saving the same login at the same moment cannot both win.
    db.schema.createIndex('services_login_unique').on('services').column('login').unique().where(sql.ref('status'), '<>', sql.lit('Archived')),

    db.schema
      .createTable('service_profile_answers')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('service_id', 'integer', (c) => c.notNull().references('services.id').onDelete('cascade'))
      .addColumn('question_id', 'integer', (c) => c.notNull().references('profile_questions.id').onDelete('cascade'))
      .addColumn('answer', 'text', (c) => c.notNull())
      .addUniqueConstraint('service_profile_answers_one', ['service_id', 'question_id'])
      .modifyEnd(sql`strict`),
    db.schema.createIndex('service_profile_answers_question').on('service_profile_answers').column('question_id'),

    db.schema
      .createTable('scheduled_changes')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('service_id', 'integer', (c) => c.notNull().references('services.id').onDelete('cascade'))
      .addColumn('effective_date', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('plan', 'price', 'status', 'discount')`))
      .addColumn('new_plan_id', 'integer', (c) => c.references('plans.id').onDelete('restrict'))
      // With kind 'price': null puts the service back on its plan's price.
      .addColumn('new_price_cents', 'integer', (c) => c.check(sql`new_price_cents >= 0`))
      .addColumn('new_status', 'text')
      .addColumn('discount_percent', 'text')
      .addColumn('discount_start', 'text')
      .addColumn('discount_end', 'text')
      .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending').check(sql`state in ('pending', 'applied', 'cancelled')`))
      .addColumn('outcome', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by_name', 'text', (c) => c.notNull())
      .addColumn('applied_at', 'text')
      .modifyEnd(sql`strict`),
    db.schema.createIndex('scheduled_changes_due').on('scheduled_changes').columns(['state', 'effective_date', 'id']),
    db.schema.createIndex('scheduled_changes_service').on('scheduled_changes').columns(['service_id', 'effective_date']),
    db.schema.createIndex('scheduled_changes_plan').on('scheduled_changes').column('new_plan_id'),

    db.schema
      .createTable('ip_allocations')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('service_id', 'integer', (c) => c.notNull().references('services.id').onDelete('cascade'))
      // Null for a routed network that lies in no managed network.
      .addColumn('network_id', 'integer', (c) => c.references('ip_networks.id').onDelete('restrict'))
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('address', 'routed')`))
      // A dotted address for 'address', a CIDR for 'routed'; unique, so the database settles races.
      .addColumn('address', 'text', (c) => c.notNull().unique())
      .addColumn('first_int', 'integer', (c) => c.notNull())
      .addColumn('last_int', 'integer', (c) => c.notNull().check(sql`last_int >= first_int`))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .modifyEnd(sql`strict`),
    db.schema.createIndex('ip_allocations_network').on('ip_allocations').columns(['network_id', 'first_int']),
    db.schema.createIndex('ip_allocations_range').on('ip_allocations').columns(['first_int', 'last_int']),
    db.schema.createIndex('ip_allocations_service').on('ip_allocations').column('service_id'),
  ],
};
