package dev.stevedore.agent;
