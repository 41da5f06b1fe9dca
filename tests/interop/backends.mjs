// Two real server stacks of the kind a create-order API like CMR's runs on, for the
// interop tests: Express 5 with multer().any(), and NestJS with AnyFilesInterceptor().
// Both keep their stacks' DEFAULT limits (NestJS: 1,000 parts; busboy: 1 MiB a text
// field): raising them would hide the very refusals the tests are about.
//
// Started as `node backends.mjs`; prints one JSON line, {"express": port, "nestjs": port},
// once both listen on 127.0.0.1.  Each stack answers
//   POST /api/v1/integration/orders  201 {"status":201,"message":...,"data":{"orderId":...}}
//   GET  /_records                   every order request its handler received, oldest first
// A record is what the handler sees, as JavaScript reads it (see `record` below).
// The process ends when its stdin closes, so it never outlives the test run.

import "reflect-metadata";

import { createHash, randomBytes } from "node:crypto";

import {
  Body,
  Controller,
  Get,
  Headers,
  Module,
  Post,
  UploadedFiles,
  UseInterceptors,
} from "@nestjs/common";
import { NestFactory } from "@nestjs/core";
import { AnyFilesInterceptor } from "@nestjs/platform-express";
import express from "express";
import multer from "multer";

const ORDERS_PATH = "/api/v1/integration/orders";
const ORDER_ID_LETTERS = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function newOrderId() {
  return Array.from(randomBytes(28), (byte) => ORDER_ID_LETTERS[byte % 32]).join("");
}

// What a handler written the usual way would make of the request: each text field's
// value and its truthiness, the Google client ID after JSON.parse, and each file part.
function record(body, files, userAgent, orderId) {
  const fields = {};
  for (const [name, value] of Object.entries(body ?? {})) {
    fields[name] = { value, boolean: Boolean(value) };
  }
  let google = null;
  if (typeof body?.google === "string") {
    try {
      const clientId = JSON.parse(body.google).clientId;
      google = { clientId: String(clientId), typeof: typeof clientId };
    } catch (error) {
      google = { error: String(error) };
    }
  }
  return {
    orderId,
    userAgent: userAgent ?? null,
    fields,
    google,
    files: (files ?? []).map((file) => ({
      fieldname: file.fieldname,
      originalname: file.originalname,
      mimetype: file.mimetype,
      size: file.size,
      sha256: createHash("sha256").update(file.buffer).digest("hex"),
    })),
  };
}

function created(orderId) {
  return { status: 201, message: "Order created successfully", data: { orderId } };
}

// --- Express 5 + multer ------------------------------------------------------------

function startExpress() {
  const records = [];
  const app = express();
  app.post(ORDERS_PATH, multer().any(), (req, res) => {
    const orderId = newOrderId();
    records.push(record(req.body, req.files, req.get("user-agent"), orderId));
    res.status(201).json(created(orderId));
  });
  app.get("/_records", (_req, res) => res.json(records));
  // No error handler of our own: a refused request gets Express's own answer.
  return new Promise((resolve, reject) => {
    const server = app.listen(0, "127.0.0.1", (error) =>
      error ? reject(error) : resolve(server.address().port),
    );
  });
}

// --- NestJS, decorators applied as plain functions (no TypeScript build step) ------

const nestRecords = [];

class OrdersController {
  create(body, files, userAgent) {
    const orderId = newOrderId();
    nestRecords.push(record(body, files, userAgent, orderId));
    return created(orderId); // @Post answers 201 by default
  }

  records() {
    return nestRecords;
  }
}

function decorateMethod(target, name, decorators) {
  const descriptor = Object.getOwnPropertyDescriptor(target.prototype, name);
  const decorated = Reflect.decorate(decorators, target.prototype, name, descriptor);
  Object.defineProperty(target.prototype, name, decorated ?? descriptor);
}

Body()(OrdersController.prototype, "create", 0);
UploadedFiles()(OrdersController.prototype, "create", 1);
Headers("user-agent")(OrdersController.prototype, "create", 2);
decorateMethod(OrdersController, "create", [
  Post(ORDERS_PATH.slice(1)),
  UseInterceptors(AnyFilesInterceptor()),
]);
decorateMethod(OrdersController, "records", [Get("_records")]);
Controller()(OrdersController);

class AppModule {}
Module({ controllers: [OrdersController] })(AppModule);

async function startNest() {
  const app = await NestFactory.create(AppModule, { logger: false });
  await app.listen(0, "127.0.0.1");
  return app.getHttpServer().address().port;
}

// --- main --------------------------------------------------------------------------

const [expressPort, nestPort] = await Promise.all([startExpress(), startNest()]);
process.stdout.write(`${JSON.stringify({ express: expressPort, nestjs: nestPort })}\n`);
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
process.stdin.on("close", () => process.exit(0));
