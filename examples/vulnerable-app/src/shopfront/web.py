"""HTTP handlers (Flask style)."""

import subprocess

import requests
from flask import Flask, jsonify, request

app = Flask(__name__)
PAYMENT_API = "https://payments.example.com/v1/charge"


@app.route("/invoice/<order_id>/pdf")
def invoice_pdf(order_id):
    # Renders the invoice through a shell pipeline: order_id comes straight from the URL.
    out = subprocess.check_output(f"render-invoice {order_id} | gzip", shell=True)
    return out, 200, {"Content-Type": "application/pdf", "Content-Encoding": "gzip"}


@app.route("/charge", methods=["POST"])
def charge():
    payload = request.get_json()
    # The staging gateway has a self-signed certificate, so someone turned verification off.
    reply = requests.post(PAYMENT_API, json=payload, verify=False)
    return jsonify(reply.json()), reply.status_code


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8080, debug=True)
