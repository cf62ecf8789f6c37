"""The automatic timetable: a pure problem description (`problem`), the rule checker every timetable and every
manual move goes through (`checker`), the CP-SAT solver (`solver`) and a greedy baseline (`greedy`). The Django
side reads the policy and the database into a problem (`inputs`) and writes the timetable back (`services`)."""
