package dev.stevedore.bench;
