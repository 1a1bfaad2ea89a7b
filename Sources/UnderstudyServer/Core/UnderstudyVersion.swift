public enum UnderstudyVersion {
    public static let current = "0.1.0"
}
