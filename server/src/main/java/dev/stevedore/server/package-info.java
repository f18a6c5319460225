package dev.stevedore.server;
