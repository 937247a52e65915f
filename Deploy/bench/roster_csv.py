"""Writes a roster CSV for the roster benchmark: 300 staff in 12 groups (4 zones x 3 shift
times), each working 5 days in 6 on its group's shift, from the given first day, cut at the
given number of rows. Usage: roster_csv.py FIRST_DAY ROWS > file.csv"""
import datetime
import sys

first = datetime.date.fromisoformat(sys.argv[1])
rows = int(sys.argv[2])
zones = ["A", "B", "C", "CLN"]
times = [("08:00", "12:00"), ("14:00", "18:00"), ("20:00", "02:00")]
print("date,start,end,zone,requires,min_staff,max_staff,staff_code")
written = 0
day = 0
while written < rows:
    date = first + datetime.timedelta(days=day)
    for staff in range(300):
        if (day + staff) % 6 == 5:
            continue
        group = staff % 12
        start, end = times[group % 3]
        print(f"{date},{start},{end},{zones[group // 3]},nurse,15,30,B{staff:03d}")
        written += 1
        if written == rows:
            break
    day += 1
