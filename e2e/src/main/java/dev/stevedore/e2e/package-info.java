package dev.stevedore.e2e;
