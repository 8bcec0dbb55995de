/** Word lists for demo data: rural and small-town North America, where small WISPs live. */
export const FIRST_NAMES = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William', 'Barbara',
  'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen', 'Daniel', 'Lisa', 'Matthew', 'Nancy',
  'Anthony', 'Betty', 'Mark', 'Sandra', 'Donald', 'Margaret', 'Steven', 'Ashley', 'Andrew', 'Kimberly', 'Joshua', 'Emily',
  'Kenneth', 'Donna', 'Kevin', 'Michelle', 'Brian', 'Carol', 'George', 'Amanda', 'Timothy', 'Melissa', 'Ronald', 'Deborah',
  'Jose', 'Maria', 'Luis', 'Ana', 'Hannah', 'Wyatt', 'Clara', 'Amos', 'Ruth', 'Levi', 'Esther', 'Ezra', 'Dolores', 'Renée',
  'Zoë', 'Björn', 'Chloé', 'Mateo', 'Sofía', 'Noah', 'Olivia', 'Liam', 'Emma', 'Aiden', 'Harper', 'Caleb', 'Avery',
];
export const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez',
  'Lopez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Thompson', 'White', 'Harris',
  'Clark', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Hill', 'Green', 'Adams', 'Baker',
  'Nelson', 'Carter', 'Mitchell', 'Roberts', 'Turner', 'Phillips', 'Campbell', 'Parker', 'Evans', 'Edwards', 'Collins',
  'Stewart', 'Morris', 'Murphy', 'Cook', 'Rogers', 'Yoder', 'Schrock', 'Hochstetler', 'Müller', 'Nguyen', 'Olsen',
  'Lindqvist', 'Begay', 'Two Bears', "O'Brien", 'McAllister', 'Dubois', 'Lefèvre', 'Kowalski', 'Novak', 'Svensson',
];
export const TOWNS = [
  ['Pine Hollow', 'ID', '83801'], ['Cedar Falls', 'MT', '59901'], ['Willow Creek', 'OR', '97801'], ['Elk Ridge', 'ID', '83814'],
  ['Grangeville', 'ID', '83530'], ['Bonners Ferry', 'ID', '83805'], ['Troy', 'MT', '59935'], ['Libby', 'MT', '59923'],
  ['Clark Fork', 'ID', '83811'], ['Priest River', 'ID', '83856'], ['Sandpoint', 'ID', '83864'], ['Eureka', 'MT', '59917'],
] as const;
export const STREETS = [
  'Main St', 'Ridge Rd', 'Lakeview Dr', 'Old Mill Rd', 'Tower Ln', 'Cedar Ave', 'Pine St', 'Hwy 95', 'River Rd',
  'Elk Meadow Rd', 'Quarry Rd', 'Schoolhouse Ln', 'Airport Way', 'Fish Hatchery Rd', 'Canyon Rd', 'Sunset Blvd',
];
export const BUSINESS_WORDS = ['Valley', 'Mountain', 'Lakeside', 'Pioneer', 'Summit', 'Timber', 'Riverside', 'Northern', 'Big Sky', 'Cedar'];
export const BUSINESS_KINDS = [
  ['Hardware', 'Company'], ['Feed & Seed', 'Company'], ['Veterinary Clinic', 'Company'], ['Diner', 'Company'], ['Dental', 'Company'],
  ['RV Park', 'RV park'], ['Campground', 'Campground'], ['Marina', 'Marina'], ['School District', 'Public body'], ['Fire District', 'Public body'],
] as const;
