"""Prints a transfer list of N people as the API takes it (JSON): a third in households of two
to six, one in eight over 70, a few pregnant or in a wheelchair, with valid ID numbers."""
import json
import random
import sys

n, seed = int(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 1
random.seed(seed)
weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def national_id(born, sequence):
    first = "310116" + born.replace("-", "") + f"{sequence % 1000:03d}"
    return first + "10X98765432"[sum(int(d) * w for d, w in zip(first, weights)) % 11]


persons = []
household = 0
while len(persons) < n:
    size = random.randint(2, 6) if random.random() < 0.12 else 1
    household += 1
    for member in range(min(size, n - len(persons))):
        year = random.randint(1940, 1950) if random.random() < 0.12 else random.randint(1960, 2004)
        if size > 1 and member > 0 and random.random() < 0.3:
            year = random.randint(2010, 2018)
        born = f"{year}-{random.randint(1, 12):02d}-{random.randint(1, 28):02d}"
        sex = random.choice(["female", "male"])
        needs = []
        if sex == "female" and 1985 <= year <= 2000 and random.random() < 0.05:
            needs.append("pregnancy")
        if random.random() < 0.02:
            needs.append("disability")
        person = {"name": f"乘客{len(persons) + 1}", "sex": sex, "dateOfBirth": born,
                  "nationalId": national_id(born, len(persons) % 1000), "vulnerabilities": needs}
        if size > 1:
            person["household"] = f"H{household}"
        persons.append(person)
json.dump({"reference": f"bench-{seed}-{n}", "expectedAt": "2026-01-01T12:00:00Z", "persons": persons},
          sys.stdout, ensure_ascii=False)
