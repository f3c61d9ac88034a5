// The light/dark choice, kept in this browser across reloads (the layout reads it once the circuit is up).
window.meshTheme = {
    get: () => localStorage.getItem("mesh-theme"),
    set: (value) => localStorage.setItem("mesh-theme", value),
};
