"""Sends a laboratory's results for the tubes listed (one sequence number a line) in one of the
three forms Cordon takes, timing it: `csv URL TOKEN`, one file; `hl7 PORT LAB`, 500 ORU^R01
messages of 100 results over one MLLP connection; `fhir URL TOKEN`, batch bundles of 1,000.
Every result is negative with both Ct values, so each patient's release verdict is worked out.
Prints the seconds taken and what the answers said."""

import json, socket, sys, time, urllib.request


def accession(sequence):
    digits = f"{int(sequence):010d}"
    total = 0
    for d in digits:
        total = (total + int(d)) * 2 % 11
    check = (12 - total) % 11
    return "S" + digits + ("X" if check == 10 else str(check))


def post(url, token, body, kind):
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Authorization": "Bearer " + token, "Content-Type": kind})
    with urllib.request.urlopen(request, timeout=600) as answer:
        return answer.read()


def csv(url, token, tubes):
    body = "accession,n_gene_ct,orf1ab_ct,result\n" + "".join(f"{t},37.5,38.2,negative\n" for t in tubes)
    started = time.time()
    answer = json.loads(post(url + "/lab/results", token, body.encode(), "text/csv"))
    return time.time() - started, {"recorded": answer["recorded"], "held": len(answer["held"])}


def oru(n, tubes):
    segments = [f"MSH|^~\\&|LIS|BENCH-LAB|CORDON|SITE|20220420120000||ORU^R01^ORU_R01|B{n}|P|2.5.1", "PID|1||X"]
    for i, t in enumerate(tubes, 1):
        segments += [
            f"OBR|{i}|{t}||94531-1^SARS-CoV-2 panel^LN",
            "OBX|1|CWE|94500-6^SARS-CoV-2 RNA^LN||260415000^Not detected^SCT||||||F",
            "OBX|2|NM|94510-5^N gene Ct^LN||37.5|{Ct_value}^^UCUM|||||F",
            "OBX|3|NM|94511-3^ORF1ab Ct^LN||38.2|{Ct_value}^^UCUM|||||F",
        ]
    return ("\x0b" + "\r".join(segments) + "\x1c\r").encode()


def hl7(port, tubes):
    codes = {}
    started = time.time()
    with socket.create_connection(("127.0.0.1", port), timeout=600) as s:
        for n in range(0, len(tubes), 100):
            s.sendall(oru(n // 100, tubes[n:n + 100]))
            data = b""
            while not data.endswith(b"\x1c\r"):
                data += s.recv(65536)
            code = data.split(b"MSA|")[1][:2].decode()
            codes[code] = codes.get(code, 0) + 1
    return time.time() - started, codes


def bundle(tubes):
    loinc, entries = "http://loinc.org", []
    for i, t in enumerate(tubes):
        spec = {"identifier": {"system": "urn:cordon:accession", "value": t}}
        def obs(code, value, key):
            return {"fullUrl": f"urn:uuid:{code}-{i}", "request": {"method": "POST", "url": "Observation"},
                    "resource": {"resourceType": "Observation", "status": "final", "specimen": spec,
                                 "code": {"coding": [{"system": loinc, "code": code}]}, key: value}}
        ct = lambda v: {"value": v, "system": "http://unitsofmeasure.org", "code": "{Ct_value}"}
        entries += [
            obs("94500-6", {"coding": [{"system": "http://snomed.info/sct", "code": "260415000"}]}, "valueCodeableConcept"),
            obs("94510-5", ct(37.5), "valueQuantity"),
            obs("94511-3", ct(38.2), "valueQuantity"),
            {"request": {"method": "POST", "url": "DiagnosticReport"},
             "resource": {"resourceType": "DiagnosticReport", "status": "final", "specimen": [spec],
                          "code": {"coding": [{"system": loinc, "code": "94531-1"}]},
                          "result": [{"reference": f"urn:uuid:{c}-{i}"} for c in ("94500-6", "94510-5", "94511-3")]}},
        ]
    return {"resourceType": "Bundle", "type": "batch", "entry": entries}


def fhir(url, token, tubes):
    statuses = {}
    bodies = [json.dumps(bundle(tubes[n:n + 1000])).encode() for n in range(0, len(tubes), 1000)]
    started = time.time()
    for body in bodies:
        answer = json.loads(post(url + "/fhir", token, body, "application/fhir+json"))
        for entry in answer["entry"]:
            statuses[entry["response"]["status"]] = statuses.get(entry["response"]["status"], 0) + 1
    return time.time() - started, statuses


if __name__ == "__main__":
    form, target, credential, listing = sys.argv[1:5]
    tubes = [accession(line) for line in open(listing) if line.strip()]
    if form == "csv":
        seconds, said = csv(target, credential, tubes)
    elif form == "hl7":
        seconds, said = hl7(int(target), tubes)
    else:
        seconds, said = fhir(target, credential, tubes)
    print(json.dumps({"seconds": round(seconds, 2), "said": said}))
